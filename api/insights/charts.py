"""Server-side SVG charts (pygal) that satisfy the strict CSP: no script, no inline style.

pygal writes a `<style>` and a `<script>` into each SVG; both are removed here, and the style (the same for
every chart, its per-chart id prefix rewritten to a class) is served as a stylesheet from this origin.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

import pygal
from pygal.style import Style

from api.insights.service import STAGES, Table

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#6b6b6b",
    colors=("#14375e", "#b36b00", "#1d5e2e", "#7a1f5c", "#3b7bbf", "#a4161a", "#5b5b5b", "#2a9d8f"),
    font_family="system-ui, sans-serif",
)
CONFIG: dict[str, Any] = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "width": 760,
    "height": 360,
    "legend_at_bottom": True,
    "truncate_legend": 40,
    "print_values": False,
    "show_y_guides": True,
}
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
SCRIPT_ELEMENT = re.compile(r"<script[^>]*>.*?</script>", re.S)
INLINE_STYLE = re.compile(r'\sstyle="[^"]*"')
# Per-point data pygal keeps for its (script) tooltips: without the script it is dead weight.
TOOLTIP_DATA = re.compile(r'<desc class="[^"]*">.*?</desc>', re.S)
CHART_ID = re.compile(r"#chart-[0-9a-f-]{36}")
# The tooltip group is hidden by an inline style that the CSP refuses: hidden by the stylesheet instead.
EXTRA_CSS = ".pygal-chart .tooltip{opacity:0}"


def _clean(svg: str) -> str:
    svg = STYLE_ELEMENT.sub("", svg)
    svg = SCRIPT_ELEMENT.sub("", svg)
    svg = TOOLTIP_DATA.sub("", svg)
    return INLINE_STYLE.sub("", svg)


def _render(chart: Any) -> str:
    return _clean(chart.render(is_unicode=True))


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The CSS every chart uses (rendered once)."""
    chart = pygal.Bar(**CONFIG)
    for n in range(len(STYLE.colors)):  # pygal writes one colour rule per series drawn
        chart.add(str(n), [1])
    # The style element's text is XML-escaped (`>` as `&gt;`): a stylesheet needs it plain.
    css = html.unescape("\n".join(STYLE_ELEMENT.findall(chart.render(is_unicode=True))))
    return CHART_ID.sub(".pygal-chart", css) + "\n" + EXTRA_CSS


def _empty(chart: Any) -> str:
    chart.add("", [])
    return _render(chart)


def topic_demand(table: Table) -> str:
    """Stacked weekly exchanges for the top topics."""
    chart = pygal.StackedBar(title="Exchanges per week by topic", x_label_rotation=30, **CONFIG)
    weeks = sorted({row[0] for row in table.rows})
    topics = sorted({row[1] for row in table.rows})
    if not weeks:
        return _empty(chart)
    chart.x_labels = weeks
    cells = {(row[0], row[1]): row[2] for row in table.rows}
    for topic in topics:
        chart.add(topic, [cells.get((week, topic)) for week in weeks])
    return _render(chart)


def themes(table: Table) -> str:
    """Questions per unanswered-question theme."""
    chart = pygal.HorizontalBar(title="Unanswered questions by theme", show_legend=False, **CONFIG)
    if not table.rows:
        return _empty(chart)
    rows = list(reversed(table.rows[:10]))
    chart.x_labels = [row[0] for row in rows]
    chart.add("questions", [row[2] for row in rows])
    return _render(chart)


def content_performance(table: Table) -> str:
    """Helpful and follow-up rates of the most served items."""
    chart = pygal.Bar(title="Helpful and follow-up rates (most served items)", x_label_rotation=30, **CONFIG)
    rows = table.rows[:10]
    if not rows:
        return _empty(chart)
    chart.x_labels = [row[0].removeprefix("qlv-") for row in rows]
    chart.add("helpful rate", [row[4] for row in rows])
    chart.add("follow-up rate", [row[5] for row in rows])
    return _render(chart)


def funnel(table: Table) -> str:
    """HCPs by journey stage, as a funnel."""
    chart = pygal.Bar(title="HCPs by journey stage", show_legend=False, **CONFIG)
    counts = {row[0]: row[1] for row in table.rows}
    chart.x_labels = list(STAGES)
    chart.add("HCPs", [counts.get(stage) for stage in STAGES])
    return _render(chart)


def specialties(table: Table) -> str:
    """HCPs and exchanges by specialty."""
    chart = pygal.HorizontalBar(title="HCPs by specialty", show_legend=False, **CONFIG)
    if not table.rows:
        return _empty(chart)
    rows = list(reversed(table.rows))
    chart.x_labels = [row[0] for row in rows]
    chart.add("HCPs", [row[1] for row in rows])
    return _render(chart)


def compliance(table: Table) -> str:
    """Exchanges by route (counts only)."""
    chart = pygal.Bar(title="Exchanges by route", show_legend=False, **CONFIG)
    if not table.rows:
        return _empty(chart)
    chart.x_labels = [row[0] for row in table.rows]
    chart.add("exchanges", [row[1] for row in table.rows])
    return _render(chart)
