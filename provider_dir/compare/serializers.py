"""The comparison as JSON, built from the same serializers as /api/v1/clinics/<slug>."""

from __future__ import annotations

from flask import url_for

from provider_dir.api.serializers import coded
from provider_dir.compare.services import ComparedClinic, Comparison
from provider_dir.reviews.figures.aggregation import Share
from provider_dir.reviews.figures.charts import condition_label
from provider_dir.scoring.serializers import score_json


def share_json(share: Share) -> dict:
    """Return a count out of a total with its percentage."""
    return {"count": share.count, "total": share.total, "percent": share.percent if share.total else None}


def compared_json(entry: ComparedClinic) -> dict:
    """Return one clinic's column of the comparison."""
    clinic, summary = entry.clinic, entry.figures.summary
    score = {key: value for key, value in score_json(entry.score).items() if key != "items"}
    return {
        "slug": clinic.slug,
        "name": clinic.name,
        "url": url_for("listings.clinic_page", slug=clinic.slug, _external=True),
        "city": clinic.city,
        "state": clinic.state,
        "safety": score.pop("safety"),
        "score": score,
        "staff": entry.staff,
        "prices": {
            "per_infusion_usd": clinic.price_per_infusion_usd,
            "series_usd": clinic.price_series_usd,
            "series_infusions": clinic.series_infusions,
        },
        "insurance": coded(clinic.insurance),
        "routes": [coded(r) for r in clinic.routes],
        "conditions": [coded(c) for c in clinic.conditions],
        "accepting_new_patients": clinic.accepting_new_patients,
        "telehealth_intake": clinic.telehealth_intake,
        "rating": {"average": summary.mean, "bayesian": summary.bayesian, "count": summary.count},
        "outcomes": {
            "would_recommend": share_json(summary.recommend),
            "by_condition": [
                {
                    "condition": {"code": o.condition, "label": condition_label(o.condition)},
                    "reviews": o.count,
                    "mean_rating": round(o.mean_rating, 2),
                    "would_recommend": share_json(o.recommend),
                    "any_relief": share_json(o.relief),
                }
                for o in summary.by_condition
            ],
        },
    }


def comparison_json(comparison: Comparison) -> dict:
    """Return the whole comparison, with the address of its page."""
    return {
        "slugs": list(comparison.slugs),
        "url": url_for("compare.page", c=list(comparison.slugs), _external=True),
        "clinics": [compared_json(entry) for entry in comparison.clinics],
    }
