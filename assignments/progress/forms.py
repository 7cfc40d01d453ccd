from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DeletionRequest


class DeletionRequestForm(forms.ModelForm):
    understood = forms.BooleanField(
        label=_("I understand that once my coach confirms, my account, my homework and my files are gone for good."),
        error_messages={"required": _("Tick the box to confirm that you want your account deleted.")},
    )

    class Meta:
        model = DeletionRequest
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class DeletionConfirmForm(forms.Form):
    understood = forms.BooleanField(
        label=_("Delete this coachee's account and all their data now. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the deletion.")},
    )
