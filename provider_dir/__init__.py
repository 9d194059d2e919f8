"""provider_dir: a directory of ketamine infusion clinics. create_app reads like a table of contents."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from provider_dir.config import INSTANCE_DIR, PROJECT_ROOT, check_production, from_environment
from provider_dir.core.assets import check_assets
from provider_dir.core.proxies import install_proxy_fix
from provider_dir.core.templating import TemplateEnvironment
from provider_dir.observability.hooks import init_observability


def create_app(config: Mapping | None = None) -> Flask:
    """Build the application; tests pass a config mapping that overrides the environment."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str(INSTANCE_DIR),
    )
    app.jinja_environment = TemplateEnvironment  # before anything makes app.jinja_env
    app.config.from_mapping(from_environment())
    if config:
        app.config.from_mapping(config)
    check_production(app.config)
    if app.config.get("ENV_NAME") == "production" and not app.testing:
        check_assets(app.static_folder)  # an install without `make assets` would serve maps without their scripts
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    init_observability(app)  # logging first: what follows may log
    install_proxy_fix(app)

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    register_hooks(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in extensions.py."""
    import provider_dir.models.all  # noqa: F401 - complete metadata
    import provider_dir.models.engine  # noqa: F401 - connection listeners
    from provider_dir.accounts.sessions import init_login
    from provider_dir.documents.services import init_upload_limit
    from provider_dir.extensions import csrf, db, limiter, migrate
    from provider_dir.geo.points.app import hold_search_points
    from provider_dir.models.prefetch import read_ahead_on
    from provider_dir.models.prepared import begin_on_checkout, engine_options  # and the connection listeners
    from provider_dir.pagecache import versioning  # noqa: F401 - the content version follows every write
    from provider_dir.pagecache.hooks import init_page_cache
    from provider_dir.transparency import tally  # noqa: F401 - the public log and monthly totals follow `record`

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    db.init_app(app)
    with app.app_context():
        begin_on_checkout(db.engine)  # PostgreSQL: the pool's check is the transaction's BEGIN
        read_ahead_on(db.engine)  # PostgreSQL: a page's reads sent ahead together (models/prefetch.py)
        hold_search_points(app, db.engine)  # radius search's columns in memory (geo/points)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    init_upload_limit(app)  # before CSRF, which reads the body
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    init_page_cache(app)


def register_blueprints(app: Flask) -> None:
    """Mount each feature's views."""
    from provider_dir.accounts.settings.email_views import bp as account_email_bp
    from provider_dir.accounts.settings.views import bp as account_settings_bp
    from provider_dir.accounts.views import bp as accounts_bp
    from provider_dir.admin.views import bp as admin_bp
    from provider_dir.api.views import bp as api_bp
    from provider_dir.appeals.moderation_views import bp as moderation_appeals_bp
    from provider_dir.appeals.views import bp as appeals_bp
    from provider_dir.compare import blueprints as compare_blueprints
    from provider_dir.core.views import bp as core_bp
    from provider_dir.corrections.views import blueprints as correction_blueprints
    from provider_dir.geo import blueprints as geo_blueprints
    from provider_dir.imports.pages.views import bp as imports_admin_bp
    from provider_dir.listings.views import bp as listings_bp
    from provider_dir.moderation.credentials.views import bp as credential_queue_bp
    from provider_dir.moderation.evidence.views import bp as evidence_queue_bp
    from provider_dir.moderation.portal.views import blueprints as portal_queue_blueprints
    from provider_dir.moderation.reports.views import bp as reports_bp
    from provider_dir.moderation.views import bp as moderation_bp
    from provider_dir.observability.views import bp as observability_bp
    from provider_dir.opendata.hsds_api.views import bp as hsds_api_bp
    from provider_dir.opendata.publish.views import bp as opendata_bp
    from provider_dir.portal.claims.views import bp as portal_claims_bp
    from provider_dir.portal.evidence_views import bp as portal_evidence_bp
    from provider_dir.portal.listings.views import bp as portal_listing_bp
    from provider_dir.portal.staff_views import bp as portal_staff_bp
    from provider_dir.portal.views import bp as portal_bp
    from provider_dir.registry.views import bp as registry_bp
    from provider_dir.reviews.views import bp as reviews_bp
    from provider_dir.scoring.views import bp as scoring_bp
    from provider_dir.transparency.views import bp as transparency_bp
    from provider_dir.twofactor.views import bp as two_factor_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(observability_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(account_email_bp)
    app.register_blueprint(account_settings_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(imports_admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(portal_evidence_bp)
    app.register_blueprint(evidence_queue_bp)
    app.register_blueprint(portal_claims_bp)
    app.register_blueprint(portal_listing_bp)
    for queue_bp in portal_queue_blueprints():
        app.register_blueprint(queue_bp)
    app.register_blueprint(portal_staff_bp)
    app.register_blueprint(credential_queue_bp)
    app.register_blueprint(registry_bp)
    app.register_blueprint(scoring_bp)
    app.register_blueprint(appeals_bp)
    app.register_blueprint(moderation_appeals_bp)
    app.register_blueprint(transparency_bp)
    app.register_blueprint(opendata_bp)
    for geo_bp in geo_blueprints():
        app.register_blueprint(geo_bp)
    for compare_bp in compare_blueprints():
        app.register_blueprint(compare_bp)
    for correction_bp in correction_blueprints():
        app.register_blueprint(correction_bp)
    app.register_blueprint(hsds_api_bp)


def register_cli(app: Flask) -> None:
    """Register the flask commands each feature owns."""
    from provider_dir.cli import register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    """Friendly pages (or JSON under /api) for every error."""
    from provider_dir.core.errors import register

    register(app)


def register_hooks(app: Flask) -> None:
    """Security headers and template helpers."""
    from provider_dir.core.hooks import register
    from provider_dir.core.urls import install_url_memo
    from provider_dir.mail.services import register as register_mail
    from provider_dir.moderation.queues import register as register_queue_links

    register(app)
    register_queue_links(app)
    register_mail(app)
    install_url_memo(app)
