"""gunicorn settings: `gunicorn -c python:provider_dir.gunicorn_conf 'provider_dir:create_app()'`.

It refuses to start without the front-end files (`make assets`), readies each worker before its first request
(templates, mappers and the place gazetteer built, the heap frozen: provider_dir/core/warmup.py), gives the
workers a shared folder for their Prometheus figures (PROMETHEUS_MULTIPROC_DIR) and removes a dead worker's live
gauges from it. Any setting here can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Chosen before anything imports prometheus_client, which decides at import whether figures go to files.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="provider_dir-metrics-")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
graceful_timeout = 30
# Only the app reads X-Forwarded-* (TRUSTED_PROXIES, through ProxyFix): one switch, not two.
secure_scheme_headers: dict[str, str] = {}
# The app writes one line per request itself (with its id, and without the tokens e-mailed links carry).
accesslog = None
# With LOG_FORMAT=json gunicorn's own lines (start, worker boot and exit) are JSON lines too.
if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},  # the app adds its own handler to the root logger
        "formatters": {"json": {"()": "provider_dir.observability.requestlog.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False}},
    }


def on_starting(server) -> None:
    """Refuse to start without the vendor files; empty the metrics folder of an earlier run's figures."""
    from provider_dir.core.assets import AssetsMissing, check_assets

    static = Path(__file__).resolve().parent / "static"
    try:
        check_assets(static)
    except AssetsMissing as exc:
        server.log.error("%s", exc)
        raise SystemExit(1) from None
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def post_worker_init(worker) -> None:
    """Build what the first pages would build, and freeze the heap out of the collector's walks (core/warmup.py)."""
    from provider_dir.core.warmup import ready_worker

    frozen = ready_worker(worker.wsgi)
    worker.log.info("worker %s ready: %d objects kept out of the garbage collector's walks", worker.pid, frozen)


def child_exit(server, worker) -> None:
    """Drop a dead worker's live gauges; its counters stay counted."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
