"""Bar charts drawn on the server as SVG: a title, a description, no script; the page puts the numbers beside them.

Pure functions returning Markup, tested without an app.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

ROW = 26
LABEL_WIDTH = 210
BAR_WIDTH = 300
VALUE_WIDTH = 90
BAR_COLOUR = "#1f5f8b"  # 7.0:1 against white: readable as a shape, and its labels are dark text on white
TEXT_COLOUR = "#1a1a1a"


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[tuple[str, float]],
              value_text: Sequence[str] | None = None, scale_max: float | None = None) -> Markup:
    """Return a horizontal bar chart: one bar per (label, value), its value written at the bar's end."""
    texts = list(value_text) if value_text is not None else [f"{value:g}" for _, value in bars]
    top = scale_max if scale_max is not None else max([value for _, value in bars] + [0])
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = max(1, len(bars)) * ROW + 8
    # Markup.format escapes every argument: labels come from the database.
    parts = [
        Markup('<svg xmlns="http://www.w3.org/2000/svg" class="tp-chart" id="{0}" role="img" '
               'viewBox="0 0 {1} {2}" width="{1}" height="{2}" aria-labelledby="{0}-title {0}-desc">'
               '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>').format(
            chart_id, width, height, title, description),
    ]
    if not bars:
        parts.append(Markup('<text x="0" y="18" fill="{}" font-size="14">No figures for this period.</text>')
                     .format(TEXT_COLOUR))
    for index, ((label, value), text) in enumerate(zip(bars, texts, strict=True)):
        y = index * ROW + 4
        length = 0 if not top else round(BAR_WIDTH * max(0.0, value) / top, 1)
        parts.append(Markup(
            '<text x="{0}" y="{1}" text-anchor="end" fill="{2}" font-size="13">{3}</text>'
            '<rect x="{4}" y="{5}" width="{6}" height="{7}" fill="{8}"></rect>'
            '<text x="{9}" y="{1}" fill="{2}" font-size="13">{10}</text>'
        ).format(LABEL_WIDTH - 8, y + 16, TEXT_COLOUR, label, LABEL_WIDTH, y + 2, length, ROW - 8, BAR_COLOUR,
                 round(LABEL_WIDTH + length + 6, 1), text))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
