"""flask create-user."""

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from provider_dir.accounts import services
from provider_dir.accounts.passwords import password_problem
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow


@click.command("create-user")
@click.option("--email", required=True, help="Login email.")
@click.option("--password", required=True, help="At least 8 characters, not a common password.")
@click.option("--role", type=click.Choice([r.value for r in UserRole]), default=UserRole.PATIENT.value)
@click.option("--display-name", default=None, help="Pseudonym shown on the site (default: from the email).")
@with_appcontext
def create_user_command(email: str, password: str, role: str, display_name: str | None) -> None:
    """Create an account with the given role."""
    try:
        # test_environment allows the reserved .test domain that development accounts use.
        email = validate_email(email, check_deliverability=False, test_environment=True).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from exc
    name = display_name or email.split("@", 1)[0][:40]
    problem = password_problem(password, context=(email, name))
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    try:
        user = services.create_user(email, password, name, UserRole(role))
    except services.AccountExists as exc:
        raise click.ClickException(str(exc)) from exc
    user.email_confirmed_at = utcnow()  # the operator vouches for the address
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email} ({user.display_name}).")
