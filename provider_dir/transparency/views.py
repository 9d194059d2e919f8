"""The public transparency pages: the moderation log (HTML and JSON) and the monthly report with its CSV tables."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from provider_dir.core.errors import error_response
from provider_dir.transparency import public_log
from provider_dir.transparency.report import data as report_data
from provider_dir.transparency.report.charts import charts
from provider_dir.transparency.report.csvout import to_csv
from provider_dir.transparency.report.tables import tables

bp = Blueprint("transparency", __name__)


def _filters_or_error():
    try:
        return public_log.parse(request.args, strict=request.path.startswith("/api/")), None
    except public_log.BadFilter as exc:
        if request.path.startswith("/api/"):
            return None, (jsonify(error={"status": exc.status, "message": str(exc), "fields": {
                name: [message] for name, message in exc.fields.items()}}), exc.status)
        return None, error_response(exc.status, str(exc))


@bp.get("/transparency/log")
def log_page():
    """Show one page of the public moderation log, newest first, filtered as asked."""
    filters, error = _filters_or_error()
    if error:
        return error
    lines, has_next = public_log.page(filters)
    return render_template("transparency/log.html", lines=lines, has_next=has_next, filters=filters,
                           kinds=public_log.kind_choices(), outcomes=public_log.outcome_choices())


@bp.get("/api/v1/transparency/log")
def log_json():
    """Return one page of the public moderation log as JSON."""
    filters, error = _filters_or_error()
    if error:
        return error
    lines, has_next = public_log.page(filters)
    return jsonify({
        "items": [line.as_json() for line in lines], "page": filters.page, "per_page": public_log.PER_PAGE,
        "next_page": filters.page + 1 if has_next else None,
    })  # fmt: skip


def _month_or_error():
    month = request.args.get("month") or report_data.current_month()
    unknown = sorted(set(request.args) - {"month"})
    if unknown:
        return None, error_response(400, f"'{unknown[0][:40]}' is not a parameter of the report; use month.")
    try:
        public_log.month_bounds(month)
    except ValueError:
        return None, error_response(400, "Give the month as YYYY-MM, for example 2026-11.")
    return month, None


@bp.get("/transparency")
def report():
    """Show one month's transparency report: charts with their numbers beside them, each table also as CSV."""
    month, error = _month_or_error()
    if error:
        return error
    figures = report_data.build(month)
    months = report_data.previous_months(month, 2)
    following = report_data.previous_months(_next_month(month), 1)[0]
    return render_template("transparency/report.html", report=figures, tables=tables(figures), charts=charts(figures),
                           previous_month=months[0], next_month=following,
                           is_current=month >= report_data.current_month())


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + (number == 12):04d}-{number % 12 + 1:02d}"


@bp.get("/transparency/<name>.csv")
def table_csv(name: str):
    """Return one table of the month's report as CSV."""
    month, error = _month_or_error()
    if error:
        return error
    found = tables(report_data.build(month)).get(name)
    if found is None:
        return error_response(404, f"The report has no table called '{name[:40]}'; see the links on /transparency.")
    return Response(to_csv(found.header, found.rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="transparency-{name}-{month}.csv"'})
