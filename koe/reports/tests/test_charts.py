"""Charts are SVG drawn on the server: text stays text (any script), hidden figures are marked,
never drawn as zero, and the picture scales to the page."""

from koe.reports.charts import chart_svg
from koe.reports.document import HIDDEN_MARK, Chart, ChartKind, Series, Unit


def test_a_bar_chart_keeps_its_labels_as_text_and_marks_hidden_figures() -> None:
    chart = Chart(
        ChartKind.BAR, ["賃金", "ဘေးအန္တရာယ်"], [Series("2026 Q3", [12, None])], title="Cases by category"
    )
    svg = chart_svg(chart)
    assert svg.startswith('<svg role="img" aria-label="Cases by category"')
    assert "viewBox" in svg and ' width="' not in svg.split(">", 1)[0]  # scales with its container
    assert "賃金" in svg and "ဘေးအန္တရာယ်" in svg
    assert f">{HIDDEN_MARK}<" in svg


def test_a_chart_whose_figures_are_all_hidden_draws_no_negative_axis() -> None:
    chart = Chart(ChartKind.LINE, ["2026 Q2", "2026 Q3"], [Series("Red flags", [None, None])], title="Trend")
    svg = chart_svg(chart)
    assert "\u22120" not in svg and ">-0" not in svg  # matplotlib writes negatives with U+2212


def test_a_rate_chart_runs_from_zero_to_a_hundred_percent() -> None:
    chart = Chart(ChartKind.BAR, ["A"], [Series("Rate", [42.5])], unit=Unit.PERCENT, title="Rates")
    svg = chart_svg(chart)
    assert "100%" in svg and "0%" in svg


def test_the_same_chart_gives_the_same_bytes() -> None:
    chart = Chart(ChartKind.BAR, ["A", "B"], [Series("n", [5, 7]), Series("m", [6, None])], title="Same")
    assert chart_svg(chart) == chart_svg(chart)


def test_a_chart_carries_no_inline_style_that_the_content_security_policy_would_drop() -> None:
    # A browser ignores style="" under Koe's CSP and paints every shape black: colours must be
    # presentation attributes.
    chart = Chart(ChartKind.BAR, ["A", "B"], [Series("n", [5, 7]), Series("m", [6, None])], title="Colours")
    svg = chart_svg(chart)
    assert "style=" not in svg and "<style" not in svg
    assert 'fill="#1b5e8a"' in svg and 'fill="#ffffff"' in svg
    assert 'font-family="' in svg
