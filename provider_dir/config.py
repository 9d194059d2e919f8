"""Configuration read from the environment, with development defaults that need no settings."""

from __future__ import annotations

import os
from pathlib import Path

from provider_dir.core.proxies import trusted_proxies_from
from provider_dir.core.rate_limits import RateLimitConfigError, enabled_from, limits_from
from provider_dir.core.tiles import TileConfigError, tile_settings_from
from provider_dir.geo.points.settings import PointsConfigError, points_settings_from
from provider_dir.observability.settings import LogConfigError, logging_from
from provider_dir.pagecache.settings import PageCacheConfigError, page_cache_from

PACKAGE_DIR = Path(__file__).resolve().parent
# templates/, migrations/ and seeds/: at the top of the source tree, or inside an installed wheel as
# provider_dir/site/ (setup.py copies them there when the wheel is built).
BUNDLED_ROOT = PACKAGE_DIR / "site"
INSTALLED = (BUNDLED_ROOT / "templates").is_dir()
PROJECT_ROOT = BUNDLED_ROOT if INSTALLED else PACKAGE_DIR.parent
# An installed copy keeps its instance folder (the default SQLite database) where it is run, not in site-packages.
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR") or (Path.cwd() if INSTALLED else PROJECT_ROOT) / "instance")

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see check_production


class ConfigError(RuntimeError):
    """Raised when the configuration cannot run safely."""


def default_database_url() -> str:
    """Return the SQLite URL used when DATABASE_URL is not set."""
    return f"sqlite:///{INSTANCE_DIR / 'provider_dir.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Point bare postgres:// URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def registry_from(env) -> dict[str, object]:
    """Read where registry checks ask NPPES: the loaded file (default) or the NPI Registry API."""
    mode = env.get("NPI_REGISTRY", "file").strip().lower() or "file"
    if mode not in ("file", "api"):
        raise ConfigError(f"NPI_REGISTRY must be file or api, not {mode!r}.")
    return {
        "NPI_REGISTRY": mode,
        "NPI_REGISTRY_URL": env.get("NPI_REGISTRY_URL", "https://npiregistry.cms.hhs.gov/api/"),
        "NPI_REGISTRY_TIMEOUT": float(env.get("NPI_REGISTRY_TIMEOUT", "5")),
        "NPI_REGISTRY_MIN_INTERVAL": float(env.get("NPI_REGISTRY_MIN_INTERVAL", "0.2")),
    }


def from_environment(env: os._Environ[str] | dict[str, str] | None = None) -> dict[str, object]:
    """Build the Flask config mapping from environment variables."""
    env = os.environ if env is None else env
    try:
        # A rate-limit store that stops answering (Redis down) falls back to per-process counters, never a 500.
        rate_limits = {"RATELIMIT_ENABLED": enabled_from(env), "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
                       **limits_from(env)}
    except RateLimitConfigError as exc:
        raise ConfigError(str(exc)) from None
    try:
        page_cache = page_cache_from(env)
        search_points = points_settings_from(env)
    except (PageCacheConfigError, PointsConfigError) as exc:
        raise ConfigError(str(exc)) from None
    try:
        operations = {"TRUSTED_PROXIES": trusted_proxies_from(env), **tile_settings_from(env), **logging_from(env)}
    except (ValueError, TileConfigError, LogConfigError) as exc:
        raise ConfigError(str(exc)) from None
    production = env.get("APP_ENV", env.get("FLASK_ENV", "development")) == "production"
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL", default_database_url())),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "GEOCODER": env.get("GEOCODER", "offline"),
        "GEOCODER_USER_AGENT": env.get("GEOCODER_USER_AGENT", "provider_dir/0.1 (clinic directory)"),
        "GEOCODER_TIMEOUT": float(env.get("GEOCODER_TIMEOUT", "3")),
        **registry_from(env),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        **rate_limits,
        **page_cache,
        **search_points,
        # TRUSTED_PROXIES, MAP_TILE_URL, MAP_TILE_ATTRIBUTION, LOG_FORMAT, LOG_LEVEL
        **operations,
        # /metrics answers only with "Authorization: Bearer <this>"; unset, /metrics is 404.
        "METRICS_TOKEN": env.get("METRICS_TOKEN", ""),
        "REVIEW_PRIOR_WEIGHT": int(env.get("REVIEW_PRIOR_WEIGHT", "10")),
        # On SQLite, the page cache (MB) a bulk job (ratings, scores, registry loads) may fill: see models/rewrites.py.
        "SQLITE_BULK_CACHE_MB": int(env.get("SQLITE_BULK_CACHE_MB", "2048")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Uploaded documents live here, outside the static folder, under generated names.
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(env.get("SESSION_ABSOLUTE_HOURS", "12")),
        # Keys that encrypt TOTP keys at rest, comma-separated: the first encrypts, all decrypt. Unset: SECRET_KEY.
        "SECOND_FACTOR_KEYS": [k.strip() for k in env.get("SECOND_FACTOR_KEYS", "").split(",") if k.strip()],
        # How long a log-in that passed its password waits for the code before the password is asked again.
        "SECOND_FACTOR_PENDING_MINUTES": int(env.get("SECOND_FACTOR_PENDING_MINUTES", "5")),
        # Outgoing mail: smtp://host:587 (STARTTLS) or smtps://host:465; unset, messages go to MAIL_OUTBOX files.
        "MAIL_URL": env.get("MAIL_URL", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "no-reply@provider-dir.example"),
        "MAIL_OUTBOX": env.get("MAIL_OUTBOX", str(INSTANCE_DIR / "outbox")),
        # The outbox worker (mail/outbox.py): SMTP timeout, batch, claim lease, back-off and when to give up.
        "MAIL_SMTP_TIMEOUT": float(env.get("MAIL_SMTP_TIMEOUT", "10")),
        "MAIL_BATCH_SIZE": int(env.get("MAIL_BATCH_SIZE", "20")),
        "MAIL_LEASE_SECONDS": float(env.get("MAIL_LEASE_SECONDS", "300")),
        "MAIL_RETRY_SECONDS": float(env.get("MAIL_RETRY_SECONDS", "30")),
        "MAIL_RETRY_MAX_SECONDS": float(env.get("MAIL_RETRY_MAX_SECONDS", "3600")),
        "MAIL_GIVE_UP_HOURS": float(env.get("MAIL_GIVE_UP_HOURS", "24")),
        # flask worker: how often it looks for mail, which scheduled jobs it runs and when (UTC, HH:MM).
        "WORKER_POLL_SECONDS": float(env.get("WORKER_POLL_SECONDS", "5")),
        "WORKER_JOBS": env.get("WORKER_JOBS", "notices,scores,backup,mail_cleanup,registry,open_data"),
        "JOB_TIMES": {
            "backup": env.get("JOB_BACKUP_AT", "02:00"),
            "scores": env.get("JOB_SCORES_AT", "03:00"),
            "notices": env.get("JOB_NOTICES_AT", "14:00"),
            "mail_cleanup": env.get("JOB_MAIL_CLEANUP_AT", "04:00"),
            "registry": env.get("JOB_REGISTRY_AT", "05:00"),
            "open_data": env.get("JOB_OPEN_DATA_AT", "06:00"),
        },
        # Where the worker writes the open-data files (HSDS, ...) that /open-data lists and serves.
        "OPEN_DATA_DIR": env.get("OPEN_DATA_DIR", str(INSTANCE_DIR / "open_data")),
        "BACKUP_DIR": env.get("BACKUP_DIR", str(INSTANCE_DIR / "backups")),
        "BACKUP_KEEP": int(env.get("BACKUP_KEEP", "7")),
        # Base of the links in emails (https://host); required in production, see mail/links.py.
        "SITE_URL": env.get("SITE_URL", ""),
        "PER_PAGE": 20,
        "WTF_CSRF_TIME_LIMIT": None,
    }


def check_production(config: dict) -> None:
    """Refuse to run in production with a missing or development secret key or with debug on."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigError("Production mode needs SECRET_KEY set to a random value of at least 32 characters.")
    if config.get("DEBUG"):
        raise ConfigError("Debug mode must never run in production.")
