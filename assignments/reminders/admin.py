from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import CoacheeSettings, HomeworkCheck, MailPreferences, PracticeSettings, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "status", "due_at", "sent_at", "attempts", "occurrence"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "message_id", "occurrence"]
    date_hierarchy = "due_at"
    raw_id_fields = ["recipient", "coachee", "assignment", "session"]
    readonly_fields = ["message_id", "claimed_at", "claim_expires_at", "enqueued_at", "sent_at", "created_at"]
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed reminders again"))
    def send_again(self, request, queryset):
        count = services.reminders_send_again(reminders=queryset)
        self.message_user(
            request,
            ngettext("%(count)d reminder is due again.", "%(count)d reminders are due again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(PracticeSettings)
class PracticeSettingsAdmin(admin.ModelAdmin):
    list_display = ["coach", "submissions", "digest_time", "quiet_start", "quiet_end", "updated_at"]
    raw_id_fields = ["coach"]


@admin.register(CoacheeSettings)
class CoacheeSettingsAdmin(admin.ModelAdmin):
    list_display = ["coachee", "updated_at"]
    raw_id_fields = ["coachee"]


@admin.register(MailPreferences)
class MailPreferencesAdmin(admin.ModelAdmin):
    list_display = ["coachee", "checkin", "checkin_time", "updated_at"]
    raw_id_fields = ["coachee"]


@admin.register(HomeworkCheck)
class HomeworkCheckAdmin(admin.ModelAdmin):
    """When the sweep looks at each piece of homework next; the sweep keeps the moment."""

    list_display = ["assignment", "next_check_at"]
    raw_id_fields = ["assignment"]
    readonly_fields = ["next_check_at"]
