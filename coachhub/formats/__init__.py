"""CoachHub's named date formats, one module per language (settings.FORMAT_MODULE_PATH).

Pages, mails and exports name a format (`{{ when|moment:"WEEKDAY_DATETIME_FORMAT" }}`,
`date_format(day, "SHORT_DATE_FORMAT")`) and never spell one out, so the order of day and month,
the names and the clock follow the reader's language. Each module defines every name below, as
Django's own per-language modules do for its built-in names (DATE_FORMAT, TIME_FORMAT ...); a name
Django does not know is still looked up here first (django.utils.formats.get_format).

    SHORT_DATE_FORMAT               30 Nov 2026
    MONTH_DAY_FORMAT                30 Nov
    WEEKDAY_MONTH_DAY_FORMAT        Mon 30 Nov
    WEEKDAY_DATE_FORMAT             Mon 30 Nov 2026
    TIME_FORMAT                     15:05
    WEEKDAY_MONTH_DAY_TIME_FORMAT   Mon 30 Nov, 15:05
    WEEKDAY_DATETIME_FORMAT         Mon 30 Nov 2026, 15:05   (the date with weekday and time)
    LONG_MONTH_DAY_TIME_FORMAT      Monday 30 November, 15:05
    DATETIME_FORMAT                 Monday 30 November 2026, 15:05
    DATE_FORMAT                     30 November 2026
    LONG_DATE_FORMAT                Monday 30 November 2026
    SHORT_MONTH_FORMAT              Nov (a chart's axis)

All five languages write times on a 24-hour clock (CoachHub's English is British English).
"""

NAMES = (
    "SHORT_DATE_FORMAT",
    "MONTH_DAY_FORMAT",
    "WEEKDAY_MONTH_DAY_FORMAT",
    "WEEKDAY_DATE_FORMAT",
    "TIME_FORMAT",
    "WEEKDAY_MONTH_DAY_TIME_FORMAT",
    "WEEKDAY_DATETIME_FORMAT",
    "LONG_MONTH_DAY_TIME_FORMAT",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "LONG_DATE_FORMAT",
    "SHORT_MONTH_FORMAT",
)
