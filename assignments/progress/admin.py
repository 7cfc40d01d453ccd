from django.contrib import admin

from .models import CalendarFeed, DeletionRequest


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    # Neither the secret nor the address is shown: the feed holds a person's calendar.
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    list_display = ["coachee", "requested_at"]
    raw_id_fields = ["coachee"]
    search_fields = ["coachee__name", "coachee__email"]
