"""The charts: accessible SVG without styles, escaped text, and tables with the chart's numbers."""

import re
from datetime import date

from assignments.progress import charts, stats

from .conftest import NOW


def _accessible(chart) -> str:
    svg = str(chart.svg)
    assert re.match(r'<svg [^>]*role="img"', svg)
    assert f'aria-labelledby="{chart.id}-svg-title {chart.id}-svg-desc"' in svg
    assert f'<title id="{chart.id}-svg-title">' in svg
    assert f'<desc id="{chart.id}-svg-desc">' in svg
    # The Content Security Policy forbids inline styles.
    assert "style" not in svg.lower()
    assert "<script" not in svg.lower()
    return svg


def test_completion_chart_draws_a_bar_per_session_with_the_same_numbers_as_its_table(coachee, history):
    rows = stats.completion_over_sessions(coachee, NOW)
    chart = charts.completion_chart(rows, chart_id="completion", title="Handed in")
    svg = _accessible(chart)
    assert svg.count('class="chart-bar-done"') == len(rows) + 1  # one per session and the legend's
    assert [row[1:] for row in chart.table_rows] == [[r.due, r.completed] for r in rows]
    assert "3 of 7 homework handed in" in chart.description
    for label in ("1/2", "0/1", "1/1", "1/3"):
        assert f">{label}</text>" in svg


def test_heat_map_shades_each_day_by_its_check_ins(coachee, history):
    practice = stats.practice_summary(coachee)
    chart = charts.practice_heat_map(practice, chart_id="practice", title="Practice", description="Summary")
    svg = _accessible(chart)
    assert svg.count("<rect") == len(practice.days) == 80
    assert svg.count("heat heat-3") == 1  # day -2: three check-ins
    assert svg.count("heat heat-1") == 6
    assert "Mon 9 Mar 2026: 3 check-ins" in svg
    assert len(chart.table_rows) == 12
    assert chart.table_rows[-1][1:] == ["3", "1", "1", "–", "–", "–", "–"]  # Mon 9 to Wed 11 March


def test_mood_chart_has_a_point_per_day_with_an_entry(coachee, history):
    chart = charts.mood_chart(stats.mood_over_time(coachee), chart_id="mood", title="Mood")
    svg = _accessible(chart)
    assert svg.count("<circle") == 2
    assert chart.table_rows == [["Sun 8 Mar 2026", "4"], ["Tue 10 Mar 2026", "3.5"]]
    assert "average 3.8" in chart.description


def test_kinds_chart_lists_each_kind_best_fitting_first(coachee, history):
    kinds = stats.kinds_summary(coachee)
    chart = charts.kinds_chart(kinds, chart_id="kinds", title="Kinds", fit_label="Fit")
    _accessible(chart)
    assert [row[:4] for row in chart.table_rows] == [
        ["Reflection", 3, 0, 3],
        ["Behavioural practice", 2, 1, 0],
        ["Self-observation", 1, 1, 0],
        ["Creative", 2, 2, 0],
    ]
    assert chart.table_rows[0][4:] == ["100%", "3 (3)"]


def test_empty_charts_have_no_svg():
    assert charts.completion_chart([], chart_id="c", title="T").svg is None
    assert charts.kinds_chart([], chart_id="k", title="T", fit_label="F").svg is None
    empty_mood = stats.MoodSummary(first=date(2026, 1, 1), last=date(2026, 3, 1), points=[])
    assert charts.mood_chart(empty_mood, chart_id="m", title="T").svg is None


def test_text_in_charts_is_escaped():
    rows = [stats.SessionCompletion(1, NOW, 1, 1)]
    chart = charts.completion_chart(rows, chart_id="x", title='<script>alert("x")</script>')
    assert "<script>" not in str(chart.svg)
    assert "&lt;script&gt;" in str(chart.svg)
