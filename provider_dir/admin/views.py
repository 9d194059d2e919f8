"""Account administration pages (admins only): list and search accounts, change roles, (de)activate."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.admin import services
from provider_dir.admin.forms import ActiveForm, RoleForm
from provider_dir.extensions import db, login_manager
from provider_dir.listings.views import page_arg
from provider_dir.moderation import log as audit
from provider_dir.twofactor import services as second_factor
from provider_dir.twofactor.forms import ResetForm
from provider_dir.twofactor.guards import require_second_factor

bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_QUERY = 254


@bp.before_request
def admins_only():
    """Let only admins in: anonymous visitors are sent to log in, everyone else gets 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_role(UserRole.ADMIN):
        abort(403, description="Account administration is for admins only.")
    return require_second_factor()


def _role_arg() -> UserRole | None:
    raw = request.args.get("role", "")
    if not raw:
        return None
    try:
        return UserRole(raw)
    except ValueError:
        abort(400, description="Choose a role from the list, or all roles.")


@bp.get("/")
def index():
    """List accounts, newest first, searched by email or display name."""
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY:
        abort(400, description=f"Search with at most {MAX_QUERY} characters.")
    role = _role_arg()
    pagination = db.paginate(
        services.search(text, role), page=page_arg(), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    return render_template("admin/users.html", pagination=pagination, q=text, role=role, roles=list(UserRole))


def _account(user_id: int) -> User:
    return db.get_or_404(User, user_id, description="There is no account with that number.")


def _render_account(user: User, role_form: RoleForm | None = None, active_form: ActiveForm | None = None,
                    status: int = 200, problem: str = "", reset_form: ResetForm | None = None):
    role_form = role_form or RoleForm(formdata=None, role=user.role.value, seen_role=user.role.value)
    active_form = active_form or ActiveForm(formdata=None, active="0" if user.active else "1")
    return render_template(
        "admin/user.html",
        user=user,
        role_form=role_form,
        active_form=active_form,
        history=audit.history(user.id, services.TARGET),
        problem=problem,
        second_factor=second_factor.factor_of(user),
        reset_form=reset_form or ResetForm(formdata=None),
    ), status


@bp.get("/users/<int:user_id>")
def account(user_id: int):
    """Show one account with its role and state, the forms that change them, and its audit history."""
    return _render_account(_account(user_id))


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    """Give an account another role, if it still has the role the admin saw."""
    user = _account(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _render_account(user, role_form=form, status=422)
    try:
        changed = services.change_role(
            current_user, user, UserRole(form.role.data), UserRole(form.seen_role.data), form.role_note.data or ""
        )
        db.session.commit()
    except (services.StaleChange, services.LastAdmin) as exc:
        db.session.rollback()
        return _render_account(user, status=409, problem=str(exc))
    if changed:
        flash(f"{user.display_name} is now {user.role.label.lower()}.", "success")
    else:
        flash(f"{user.display_name} already had that role; nothing changed.", "info")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    """Deactivate an account (its sessions end at once) or reactivate it; pressing twice changes nothing."""
    user = _account(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        return _render_account(user, active_form=form, status=422)
    wanted = form.active.data == "1"
    try:
        changed = services.set_active(current_user, user, wanted, form.active_note.data or "")
        db.session.commit()
    except services.LastAdmin as exc:
        db.session.rollback()
        return _render_account(user, status=409, problem=str(exc))
    state = "active" if wanted else "deactivated"
    if changed:
        extra = "" if wanted else " Every session of the account has ended."
        flash(f"{user.display_name} is now {state}.{extra}", "success")
    else:
        flash(f"{user.display_name} was already {state}; nothing changed.", "info")
    if not current_user.is_authenticated or not current_user.active:
        return redirect(url_for("core.home"))
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/users/<int:user_id>/second-factor/reset")
def reset_second_factor(user_id: int):
    """Remove an account's second factor (a lost phone) and end its sessions; the audit log keeps who and why."""
    user = _account(user_id)
    form = ResetForm()
    if not form.validate_on_submit():
        return _render_account(user, reset_form=form, status=422)
    if second_factor.reset(current_user, user, form.reset_note.data or ""):
        db.session.commit()
        flash(f"{user.display_name}'s second factor is removed and every session of the account has ended. "
              "Their next log-in asks only for the password.", "success")  # fmt: skip
    else:
        flash(f"{user.display_name} had no second factor; nothing changed.", "info")
    if not current_user.is_authenticated:  # an admin who reset their own factor ended their own session too
        return redirect(url_for("accounts.login"))
    return redirect(url_for("admin.account", user_id=user.id))


from provider_dir.admin import mail_views  # noqa: E402,F401 - its routes join this blueprint
