"""The error summary shown above a form that came back with errors (templates/_error_summary.html)."""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


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
