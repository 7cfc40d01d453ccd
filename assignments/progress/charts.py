"""Charts as inline SVG, built on the server from the numbers in stats.py.

The site's Content Security Policy allows no inline styles, so the SVG carries no <style> element and
no style attributes: shapes get classes (styled in static/css/coachhub.css, section "Progress") and
presentation attributes. Every text is escaped by format_html. Each chart has a <title> and a <desc>
that screen readers announce (role="img", aria-labelledby); the page adds a visible heading and a
table with the same numbers.

Charts are drawn in a 320-unit-wide view box, about a phone's width, and shown at most that wide
(static/css/coachhub.css, .chart): one unit is one CSS pixel, so a 12-unit label reads as 12 px on a
wide screen and on a phone alike, instead of growing to 20 px in a wide card. Only a container
narrower than 320 px shrinks them, a little.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.templatetags.moments import moment

from .stats import KindStats, MoodSummary, PracticeSummary, SessionCompletion

WIDTH = 320


@dataclass(frozen=True)
class Chart:
    """A chart ready for the page: its heading, what a screen reader hears, the SVG and a table."""

    id: str
    title: str
    description: str = ""
    svg: SafeString | None = None  # None: no data to draw yet
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list] = field(default_factory=list)


def _short_date(day) -> str:
    return formats.date_format(day, "MONTH_DAY_FORMAT")


def _month(day) -> str:
    return formats.date_format(day, "SHORT_MONTH_FORMAT")


def _time(when) -> str:
    return formats.time_format(when, "TIME_FORMAT")


def _long_date(day) -> str:
    return formats.date_format(day, "WEEKDAY_DATE_FORMAT")


def _long_dates(days) -> dict:
    """_long_date for many days at once, through the `moment` filter: the names of weekdays and
    months are looked up once, not translated again for each day (what dateformat does)."""
    return {day: moment(day, "WEEKDAY_DATE_FORMAT") for day in days}


def _svg(chart_id: str, title: str, description: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart-svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        'aria-labelledby="{id}-svg-title {id}-svg-desc" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-svg-title">{title}</title><desc id="{id}-svg-desc">{description}</desc>{body}</svg>',
        width=WIDTH,
        height=height,
        id=chart_id,
        title=title,
        description=description,
        body=body,
    )


def _text(x: float, y: float, text: str, css: str = "chart-label", anchor: str = "middle") -> SafeString:
    return format_html(
        '<text x="{}" y="{}" class="{}" text-anchor="{}">{}</text>', f"{x:.1f}", f"{y:.1f}", css, anchor, text
    )


def _rect(x, y, width, height, css: str, tooltip: str = "", rx: float = 2) -> SafeString:
    inner = format_html("<title>{}</title>", tooltip) if tooltip else ""
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" rx="{}" class="{}">{}</rect>',
        f"{x:.1f}",
        f"{y:.1f}",
        f"{max(width, 0):.1f}",
        f"{max(height, 0):.1f}",
        rx,
        css,
        inner,
    )


def _line(x1, y1, x2, y2, css: str) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"/>', f"{x1:.1f}", f"{y1:.1f}", f"{x2:.1f}", f"{y2:.1f}", css
    )


def _join(parts) -> SafeString:
    return mark_safe("".join(str(part) for part in parts))  # every part comes from format_html


# --- Completion over sessions: a bar per session, the handed-in part filled -------------------------


def completion_chart(rows: list[SessionCompletion], *, chart_id: str, title: str) -> Chart:
    if not rows:
        return Chart(id=chart_id, title=title)
    top, bottom, left = 20, 150, 24
    height = bottom + 62
    plot_width = WIDTH - left - 4
    top_value = max(max(r.due for r in rows), 1)
    scale = (bottom - top) / top_value
    slot = plot_width / len(rows)
    bar = min(26.0, slot * 0.64)
    parts = [_line(left, bottom, WIDTH - 4, bottom, "chart-axis")]
    ticks = range(top_value + 1) if top_value <= 5 else sorted({0, top_value // 2, top_value})
    for tick in ticks:
        y = bottom - tick * scale
        if tick:
            parts.append(_line(left, y, WIDTH - 4, y, "chart-grid"))
        parts.append(_text(left - 6, y + 4, str(tick), "chart-label", "end"))
    last_month = None
    labels = _session_labels(rows)
    for n, row in enumerate(rows):
        x = left + slot * n + (slot - bar) / 2
        when = labels[n]
        if row.due:
            tooltip = _("%(when)s: %(done)s of %(due)s handed in") % {
                "when": when,
                "done": row.completed,
                "due": row.due,
            }
            parts.append(_rect(x, bottom - row.due * scale, bar, row.due * scale, "chart-bar-due", tooltip))
            parts.append(
                _rect(x, bottom - row.completed * scale, bar, row.completed * scale, "chart-bar-done", tooltip)
            )
            parts.append(_text(x + bar / 2, bottom - row.due * scale - 5, f"{row.completed}/{row.due}", "chart-value"))
        else:
            # Nothing was due: a dash on the axis rather than an empty "0/0" bar.
            parts.append(_text(x + bar / 2, bottom - 5, "–", "chart-value"))
        # Under each bar the day of the month, or the time for a second session on the same day;
        # the month under the first bar of each month.
        local = timezone.localtime(row.starts_at)
        same_day = n and timezone.localdate(rows[n - 1].starts_at) == local.date()
        parts.append(_text(x + bar / 2, bottom + 15, _time(local) if same_day else str(local.day), "chart-label"))
        if local.month != last_month:
            parts.append(_text(x + bar / 2, bottom + 29, _month(local), "chart-label"))
            last_month = local.month
    legend_y = bottom + 52
    parts.append(_rect(left, legend_y - 10, 11, 11, "chart-bar-done", rx=1))
    parts.append(_text(left + 16, legend_y, _("handed in"), "chart-label", "start"))
    parts.append(_rect(left + 100, legend_y - 10, 11, 11, "chart-bar-due", rx=1))
    parts.append(_text(left + 116, legend_y, _("due for review"), "chart-label", "start"))
    total_due = sum(r.due for r in rows)
    total_done = sum(r.completed for r in rows)
    description = ngettext(
        "Bar chart over the last %(sessions)d session: %(done)d of %(due)d homework handed in by the session. ",
        "Bar chart over the last %(sessions)d sessions: %(done)d of %(due)d homework handed in by the session. ",
        len(rows),
    ) % {"sessions": len(rows), "done": total_done, "due": total_due}
    description += "; ".join(
        _("%(when)s: %(done)s of %(due)s") % {"when": when, "done": r.completed, "due": r.due}
        if r.due
        else _("%(when)s: nothing due") % {"when": when}
        for when, r in zip(labels, rows, strict=True)
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, height, _join(parts)),
        table_headers=[_("Session"), _("Due for review"), _("Handed in by the session")],
        table_rows=[[when, r.due, r.completed] for when, r in zip(_session_labels(rows, long=True), rows, strict=True)],
    )


def _session_labels(rows: list[SessionCompletion], *, long: bool = False) -> list[str]:
    """A date per session; sessions that share a day get their start time too, so they read apart."""
    days = [timezone.localdate(r.starts_at) for r in rows]
    date_of = _long_date if long else _short_date
    return [
        f"{date_of(timezone.localtime(r.starts_at))}, {_time(timezone.localtime(r.starts_at))}"
        if days.count(day) > 1
        else date_of(timezone.localtime(r.starts_at))
        for r, day in zip(rows, days, strict=True)
    ]


# --- Daily practice: a calendar heat map, a column per week -----------------------------------------


def heat_level(check_ins: int) -> int:
    """The shade of a day: 0 none, 1 one check-in, 2 two, 3 three or more."""
    return min(check_ins, 3)


def practice_heat_map(summary: PracticeSummary, *, chart_id: str, title: str, description: str) -> Chart:
    cell, gap, left, top = 20, 4, 32, 20
    step = cell + gap
    weeks = [summary.days[n : n + 7] for n in range(0, len(summary.days), 7)]
    height = top + 7 * step + 4
    parts = []
    weekday_names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    for row in (0, 2, 4, 6):
        parts.append(_text(left - 6, top + row * step + cell - 7, weekday_names[row], "chart-label", "end"))
    # Up to 84 cells: _rect's format_html and a date_format per cell were a fifth of the progress page.
    # The cells share one markup string, one translated tooltip per count and one date per day;
    # only the tooltip carries text, and it is escaped here.
    long_dates = _long_dates(day.day for day in summary.days)
    tooltips = {}
    cell_markup = (
        f'<rect x="%(x).1f" y="%(y).1f" width="{cell:.1f}" height="{cell:.1f}" rx="4" class="%(css)s">'
        "<title>%(title)s</title></rect>"
    )
    last_month = None
    for column, week in enumerate(weeks):
        x = left + column * step
        if week[0].day.month != last_month:
            parts.append(_text(x, top - 7, _month(week[0].day), "chart-label", "start"))
            last_month = week[0].day.month
        for row, day in enumerate(week):
            tooltip = tooltips.get(day.check_ins)
            if tooltip is None:
                tooltip = tooltips[day.check_ins] = ngettext(
                    "%(day)s: %(n)d check-in", "%(day)s: %(n)d check-ins", day.check_ins
                )
            css = f"heat heat-{heat_level(day.check_ins)}"
            if day.day == summary.today:
                css += " heat-today"
            parts.append(
                cell_markup
                % {
                    "x": x,
                    "y": top + row * step,
                    "css": css,
                    "title": escape(tooltip % {"day": long_dates[day.day], "n": day.check_ins}),
                }
            )
    week_rows = []
    for week in weeks:
        counts = [str(d.check_ins) for d in week] + ["–"] * (7 - len(week))
        week_rows.append([long_dates[week[0].day], *counts])
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, height, _join(parts)),
        table_headers=[_("Week of"), *weekday_names],
        table_rows=week_rows,
    )


# --- Mood over time: a line through the days with an entry ------------------------------------------


def mood_chart(summary: MoodSummary, *, chart_id: str, title: str) -> Chart:
    if not summary.points:
        return Chart(id=chart_id, title=title)
    height, top, bottom, left, right = 190, 12, 160, 22, WIDTH - 8
    span = max((summary.last - summary.first).days, 1)

    def x_of(day) -> float:
        return left + (right - left) * (day - summary.first).days / span

    def y_of(mood: float) -> float:
        return bottom - (bottom - top) * (mood - 1) / 4

    parts = []
    for mood in range(1, 6):
        parts.append(_line(left, y_of(mood), right, y_of(mood), "chart-grid" if mood > 1 else "chart-axis"))
        parts.append(_text(left - 8, y_of(mood) + 4, str(mood), "chart-label", "end"))
    for day in (summary.first, summary.first + timedelta(days=span // 2), summary.last):
        anchor = "start" if day == summary.first else "end" if day == summary.last else "middle"
        parts.append(_text(x_of(day), bottom + 18, _short_date(day), "chart-label", anchor))
    points = " ".join(f"{x_of(p.day):.1f},{y_of(p.mood):.1f}" for p in summary.points)
    parts.append(format_html('<polyline points="{}" class="chart-line" fill="none"/>', points))
    for point in summary.points:
        tooltip = _("%(day)s: mood %(mood)s of 5") % {"day": _long_date(point.day), "mood": _number(point.mood)}
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="4" class="chart-dot mood-dot-{}"><title>{}</title></circle>',
                f"{x_of(point.day):.1f}",
                f"{y_of(point.mood):.1f}",
                round(point.mood),
                tooltip,
            )
        )
    description = ngettext(
        "Line chart of mood from 1 (low) to 5 (high), %(n)d day with an entry between %(first)s and %(last)s, "
        "average %(average)s. ",
        "Line chart of mood from 1 (low) to 5 (high), %(n)d days with an entry between %(first)s and %(last)s, "
        "average %(average)s. ",
        len(summary.points),
    ) % {
        "n": len(summary.points),
        "first": _long_date(summary.first),
        "last": _long_date(summary.last),
        "average": _number(summary.average),
    }
    description += _("Latest: %(mood)s on %(day)s.") % {
        "mood": _number(summary.latest.mood),
        "day": _long_date(summary.latest.day),
    }
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, height, _join(parts)),
        table_headers=[_("Day"), _("Mood (1 to 5)")],
        table_rows=[[_long_date(p.day), _number(p.mood)] for p in summary.points],
    )


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return formats.number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


# --- Kinds of homework: a bar per kind for the share handed in ---------------------------------------


def kinds_chart(stats: list[KindStats], *, chart_id: str, title: str, fit_label: str) -> Chart:
    if not stats:
        return Chart(id=chart_id, title=title)
    row_height, top = 58, 4
    height = top + row_height * len(stats)
    parts = []
    for n, kind in enumerate(stats):
        y = top + n * row_height
        parts.append(_text(0, y + 13, kind.label, "chart-label chart-label-strong", "start"))
        if kind.average_fit is not None:
            fit = _("fit %(fit)s of 5") % {"fit": _number(kind.average_fit)}
        else:
            fit = _("no rating")
        parts.append(_text(WIDTH, y + 13, fit, "chart-label", "end"))
        parts.append(_rect(0, y + 19, WIDTH, 14, "chart-track", rx=3))
        tooltip = _("%(kind)s: %(done)s of %(finished)s handed in") % {
            "kind": kind.label,
            "done": kind.handed_in,
            "finished": kind.finished,
        }
        share = (kind.percent or 0) / 100
        parts.append(_rect(0, y + 19, WIDTH * share, 14, f"chart-kind kind-{kind.kind}", tooltip, rx=3))
        if kind.finished:
            value = _("%(done)s of %(finished)s handed in") % {
                "done": kind.handed_in,
                "finished": kind.finished,
            }
        else:
            value = _("none finished yet")
        if kind.in_progress:
            value += " · " + ngettext("%(n)d still open", "%(n)d still open", kind.in_progress) % {
                "n": kind.in_progress
            }
        parts.append(_text(0, y + 48, value, "chart-label", "start"))
    description = _(
        "Bar chart of the share of finished homework handed in, per kind, best fitting first. "
    ) + "; ".join(
        _("%(kind)s: %(done)s of %(finished)s handed in, %(fit)s")
        % {
            "kind": k.label,
            "done": k.handed_in,
            "finished": k.finished,
            "fit": (_("fit %(fit)s of 5") % {"fit": _number(k.average_fit)})
            if k.average_fit is not None
            else _("no rating"),
        }
        for k in stats
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, height, _join(parts)),
        table_headers=[_("Kind"), _("Given"), _("Still open"), _("Handed in"), _("Handed in of finished"), fit_label],
        table_rows=[
            [
                k.label,
                k.given,
                k.in_progress,
                k.handed_in,
                _("%(percent)d%%") % {"percent": k.percent} if k.percent is not None else "–",
                f"{_number(k.average_fit)} ({k.ratings})" if k.average_fit is not None else "–",
            ]
            for k in stats
        ],
    )
