"""Charts of a report section drawn on the server by matplotlib as SVG: the same picture in the
dashboard page and in the quarterly PDF, no JavaScript on the reader's side.

Text stays text in the SVG (``svg.fonttype: none``): the browser or WeasyPrint shapes it with the
page's fonts, so Japanese, Burmese or Nepali labels render as well as the page around them, and
the file stays small. Hidden figures are drawn as gaps, never as zero.
"""

import functools
import io
import re
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.utils.html import escape

from koe.reports.document import HIDDEN_MARK, Chart, ChartKind, Unit, Value

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Koe's palette, distinguishable in grey print and for the common colour-vision deficiencies.
COLOURS = ["#1b5e8a", "#d08c1f", "#4a8f5a", "#9c4f96", "#6b6b6b", "#b5453a", "#3aa1b5", "#8a7a1b"]
FONT_FAMILIES = ["Noto Sans CJK JP", "Noto Sans", "Noto Sans Myanmar", "Noto Sans Devanagari", "sans-serif"]
# Raised whenever the drawing changes, so that charts cached by the dashboard are drawn again.
CHART_DRAWING_VERSION = 2
# pyplot keeps global state; one chart at a time per process.
_LOCK = threading.Lock()


@functools.cache
def _pyplot() -> ModuleType:
    """matplotlib, loaded on the first chart: it takes over a second to import, which every web
    process and every worker page would otherwise pay at start-up."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; must precede pyplot
    import matplotlib.pyplot

    return matplotlib.pyplot


def _style() -> Any:
    from cycler import cycler

    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "koe",  # stable ids: the same chart gives the same bytes
        "font.family": FONT_FAMILIES,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=COLOURS),
    }


def chart_svg(chart: Chart, *, width_inches: float = 6.4, height_inches: float = 3.2) -> str:
    """The chart as an inline SVG element that scales to its container's width."""
    plt = _pyplot()
    with _LOCK, plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(width_inches, height_inches))
        try:
            _draw(axes, chart)
            buffer = io.StringIO()
            # "tight" keeps long or rotated labels and the legend above the plot inside the picture.
            metadata = {"Date": None, "Creator": None}
            figure.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05, metadata=metadata)
        finally:
            plt.close(figure)
    return _responsive(buffer.getvalue(), chart.title)


def _draw(axes: "Axes", chart: Chart) -> None:
    from matplotlib import ticker  # loaded by _pyplot() already

    if chart.kind == ChartKind.LINE:
        _draw_lines(axes, chart)
    else:
        _draw_bars(axes, chart, stacked=chart.kind == ChartKind.STACKED)
    if chart.unit == Unit.PERCENT:
        axes.set_ylim(0, 100)
        axes.yaxis.set_major_formatter(ticker.PercentFormatter())
    else:
        # From zero, and at least up to one: with every figure hidden or zero matplotlib would
        # otherwise centre the axis on zero and draw negative counts.
        axes.set_ylim(0, max(axes.get_ylim()[1], 1))
        axes.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    if len(chart.series) > 1:
        # Above the plot, never over the bars it explains.
        columns = min(len(chart.series), 3)
        axes.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=columns)


def _draw_bars(axes: "Axes", chart: Chart, *, stacked: bool) -> None:
    positions = range(len(chart.categories))
    count = len(chart.series) or 1
    width = 0.8 if stacked else 0.8 / count
    bottoms = [0.0] * len(chart.categories)
    for index, series in enumerate(chart.series):
        heights = _gaps(series.values)
        offsets = [p if stacked else p - 0.4 + width * (index + 0.5) for p in positions]
        axes.bar(offsets, heights, width, bottom=bottoms if stacked else None, label=series.label)
        _mark_hidden(axes, offsets, series.values)
        if stacked:
            bottoms = [b + (h if h == h else 0.0) for b, h in zip(bottoms, heights, strict=True)]
    axes.set_xticks(
        list(positions), chart.categories, rotation=30 if len(chart.categories) > 4 else 0, ha="right"
    )


def _mark_hidden(axes: "Axes", offsets: Sequence[float], values: Sequence[Value]) -> None:
    """A hidden figure gets the tables' mark on the axis, so a gap is not read as zero."""
    for offset, value in zip(offsets, values, strict=True):
        if value is None:
            axes.text(offset, 0, HIDDEN_MARK, ha="center", va="bottom", fontsize=8, color="#444444")


def _draw_lines(axes: "Axes", chart: Chart) -> None:
    for series in chart.series:
        axes.plot(chart.categories, _gaps(series.values), marker="o", label=series.label)


def _gaps(values: Sequence[Value]) -> list[float]:
    """Hidden figures (None) become NaN, which matplotlib leaves out rather than drawing a zero."""
    return [float("nan") if value is None else float(value) for value in values]


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)


def _responsive(svg: str, title: str) -> str:
    """Drops the XML prologue and the fixed size (the viewBox stays), and names the image."""
    svg = _without_styles(svg[svg.index("<svg") :])
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    label = escape(title)
    root = f'<svg role="img" aria-label="{label}" class="chart" stroke-linejoin="round" stroke-linecap="butt"'
    return svg.replace("<svg", root, 1)


def _without_styles(svg: str) -> str:
    """matplotlib writes ``style="fill: #1b5e8a"``; Koe's Content-Security-Policy forbids inline
    styles, so a browser would ignore them and paint every shape black. Each declaration becomes
    the SVG presentation attribute of the same name, which no policy blocks, and the one
    ``<style>`` element (line joins and caps) moves onto the root element above."""

    def attributes(match: re.Match[str]) -> str:
        pairs = (declaration.split(":", 1) for declaration in match.group(1).split(";") if ":" in declaration)
        return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)

    return _STYLE_ELEMENT.sub("", _STYLE_ATTRIBUTE.sub(attributes, svg))
