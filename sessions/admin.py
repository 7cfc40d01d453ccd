from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Coachee, CoachingSession, Goal, Invitation


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Coachee)
class CoacheeAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "coach", "timezone", "archived_at"]
    list_filter = ["archived_at"]
    search_fields = ["name", "email", "coach__email"]
    raw_id_fields = ["coach", "user"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "coachee", "status"]
    list_filter = ["status"]
    search_fields = ["title", "coachee__name"]
    raw_id_fields = ["coachee"]


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    # Video links without a scheme are taken as https, as on the coach's own session form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["coachee", "starts_at", "duration_minutes", "status"]
    list_filter = ["status"]
    date_hierarchy = "starts_at"
    search_fields = ["coachee__name"]
    raw_id_fields = ["coachee"]


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["coachee"]

    def clean_coachee(self):
        coachee = self.cleaned_data["coachee"]
        if coachee.user_id is not None:
            raise forms.ValidationError(_("This coachee has a login already; an invitation would be of no use."))
        if not coachee.coach.email_confirmed:
            raise forms.ValidationError(_("The coach has not confirmed their address, so no mail goes out for them."))
        try:
            services.check_invitation_limits(coachee, timezone.now())
        except services.InvitationLimitReached:
            raise forms.ValidationError(_("Enough invitations went out for this coachee or coach today.")) from None
        return coachee


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are looked at here, or sent: adding one mails a new link (its token is never stored)."""

    list_display = ["coachee", "created_at", "expires_at", "sent_at", "used_at", "revoked_at"]
    list_filter = ["created_at", "used_at"]
    search_fields = ["coachee__name", "coachee__email"]
    raw_id_fields = ["coachee"]
    readonly_fields = ["coachee", "created_at", "expires_at", "sent_at", "used_at", "revoked_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["coachee"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        sent = services.invitation_send(coachee=obj.coachee)
        obj.pk, obj.created_at, obj.expires_at = sent.pk, sent.created_at, sent.expires_at
