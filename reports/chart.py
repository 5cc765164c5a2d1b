"""A stacked bar chart as server-rendered SVG (no JavaScript, no CDN): signals per
month by kind of partner. Colours have at least 3:1 contrast with white (WCAG 1.4.11);
the legend names every colour and the table below the chart has the same numbers."""

from dataclasses import dataclass, field

COLOURS = [
    "#1f5fa6",
    "#b3541e",
    "#2e7d32",
    "#6a1b9a",
    "#7a6000",
    "#00695c",
    "#ad1457",
    "#4e342e",
    "#37474f",
    "#283593",
    "#c62828",
]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 260, 48, 28, 12


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[dict] = field(default_factory=list)
    ticks: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    baseline: int = HEIGHT - BOTTOM
    left: int = LEFT


def _nice_max(value: int) -> int:
    step = 1
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= step * factor:
            return step * factor
    return value


def stacked_bars(labels: list[str], series: dict[str, list[int]]) -> Chart:
    """labels: one per bar; series: name → one value per bar."""
    chart = Chart()
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0) or 1)
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(labels), 1)
    bar_w = max(4, min(48, slot * 0.6))
    for n in range(5):
        value = top * n // 4
        chart.ticks.append({"y": round(HEIGHT - BOTTOM - plot_h * value / top, 1), "value": value})
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar_w) / 2
        y = HEIGHT - BOTTOM
        segments = []
        for colour, (name, values) in zip(COLOURS, series.items(), strict=False):
            h = plot_h * values[i] / top
            y -= h
            if values[i]:
                segments.append(
                    {
                        "x": round(x, 1),
                        "y": round(y, 1),
                        "w": round(bar_w, 1),
                        "h": round(h, 1),
                        "colour": colour,
                        "title": f"{label}, {name}: {values[i]}",
                    }
                )
        chart.bars.append({"label": label, "x": round(x + bar_w / 2, 1), "total": totals[i], "segments": segments})
    chart.legend = [{"name": name, "colour": colour} for colour, name in zip(COLOURS, series, strict=False)]
    return chart
