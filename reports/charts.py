"""Geometry of the dashboards' SVG charts (rendered server-side: no script, no CDN)."""

from .metrics import OUTCOME_CLASSES, RATE_NAMES

# The colours of UX.md; every chart also has its data table next to it.
OUTCOME_COLOURS = {"integrated": "#198754", "dropped_out": "#dc3545", "transferred": "#0d6efd",
                   "completed": "#6c757d", "other_exit": "#adb5bd", "active": "#4a6a8f"}
ROW_HEIGHT = 26
LABEL_WIDTH = 150
BAR_WIDTH = 420


def grouped_columns(rows: list[dict], series: list[tuple[str, str, str]], height=180) -> dict:
    """Vertical bars per row for each (field, label, colour) of `series`; values are rates."""
    slot = 18 * len(series) + 14
    bars = []
    for i, row in enumerate(rows):
        for j, (field, _label, colour) in enumerate(series):
            value = row.get(field) or 0
            bar_height = round(value * height)
            bars.append({"x": 40 + i * slot + j * 18, "y": 10 + height - bar_height,
                         "height": bar_height, "colour": colour, "value": value,
                         "title": f"{row['key']}: {round(value * 100)} %"})
    labels = [{"x": 40 + i * slot + slot / 2 - 7, "text": short_quarter(row["key"])}
              for i, row in enumerate(rows)]
    gridlines = [{"y": 10 + height - round(f * height), "label": f"{round(f * 100)} %"}
                 for f in (0, 0.25, 0.5, 0.75, 1)]
    # At least 400 wide: with few quarters the chart would otherwise scale up its text.
    return {"width": max(50 + slot * len(rows), 400), "height": height + 50, "bars": bars,
            "labels": labels, "gridlines": gridlines, "base": 10 + height,
            "legend": [{"label": label, "colour": colour} for _f, label, colour in series]}


def short_quarter(key: str) -> str:
    """"2026-Q1" → "Q1/26": fits under a pair of bars."""
    return f"{key[5:]}/{key[2:4]}" if "-Q" in key else key


def stacked_outcomes(rows: list[dict]) -> dict:
    """One horizontal bar per row with entrants, split into the outcome classes."""
    rows = [row for row in rows if row["entrants"]]
    bars = []
    for i, row in enumerate(rows):
        x, segments = LABEL_WIDTH, []
        for name in OUTCOME_CLASSES:
            width = round((row.get(RATE_NAMES[name]) or 0) * BAR_WIDTH)
            if width:
                segments.append({"x": x, "width": width, "colour": OUTCOME_COLOURS[name]})
            x += width
        bars.append({"y": 10 + i * ROW_HEIGHT, "label": row["key"], "segments": segments})
    return {"width": LABEL_WIDTH + BAR_WIDTH + 10, "height": 20 + len(rows) * ROW_HEIGHT,
            "bars": bars}


def horizontal_bars(rows: list[dict], field: str) -> dict:
    bars = [{"y": 10 + i * ROW_HEIGHT, "label": row["key"], "value": row.get(field),
             "width": round((row.get(field) or 0) * BAR_WIDTH)} for i, row in enumerate(rows)]
    return {"width": LABEL_WIDTH + BAR_WIDTH + 60, "height": 20 + len(rows) * ROW_HEIGHT,
            "bars": bars, "bar_x": LABEL_WIDTH}
