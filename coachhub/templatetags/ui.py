"""Template tags of the design system (static/README.md), available in every template (a builtin,
see TEMPLATES in settings).

`{{ when|zoned }}` adds the time zone a time is shown in, "Monday 7 December, 10:00 (Europe/Berlin)":
for mail, which is read away from the app and its settings, and may be forwarded.

`{{ form|error_links }}` lists a form's errors, each with the id of its field, for the error summary
above a form that came back (templates/_error_summary.html).

`{% icon "inbox" %}` draws an icon of the sprite static/icons/sprite.svg (built from assets/icons by
`make css`). Icons are decoration beside a text that says the same, so screen readers skip them;
an icon that stands alone needs `label`, which becomes its accessible name.
"""

from dataclasses import dataclass

from django import forms, template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "", css: str = "") -> str:
    sprite = static("icons/sprite.svg")
    if label:
        return format_html(
            '<svg class="icon {}" role="img" aria-label="{}" focusable="false"><use href="{}#{}"></use></svg>',
            css,
            label,
            sprite,
            name,
        )
    return format_html(
        '<svg class="icon {}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>', css, sprite, name
    )


@register.filter(is_safe=False)
def zoned(text) -> str:
    """`text` (a time already formatted in the active time zone) with that zone's name after it."""
    return f"{text} ({timezone.get_current_timezone_name().replace('_', ' ')})"


@dataclass
class ErrorLink:
    anchor: str  # the id of the control to move to; "" for errors of the form as a whole
    label: str
    message: str


def _anchor(field) -> str:
    """The id of the field's first control: a group of radio buttons or checkboxes has no id of
    its own, only each of its options has (`id_due_0`)."""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.id_for_label


@register.filter
def error_links(form) -> list[ErrorLink]:
    """Every error of `form`, in the order of its fields, each linked to its field."""
    links = [ErrorLink("", "", message) for message in form.non_field_errors()]
    for field in form:
        links += [ErrorLink(_anchor(field), field.label, message) for message in field.errors]
    return links
