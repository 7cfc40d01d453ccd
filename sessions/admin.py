from django.contrib import admin

from .models import Coachee, CoachingSession, Goal


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
    list_display = ["coachee", "starts_at", "duration_minutes", "status"]
    list_filter = ["status"]
    date_hierarchy = "starts_at"
    search_fields = ["coachee__name"]
    raw_id_fields = ["coachee"]
