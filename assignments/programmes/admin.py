from django.contrib import admin

from .models import Enrolment, Programme, ProgrammeStep, StepDecision


class ProgrammeStepInline(admin.StackedInline):
    model = ProgrammeStep
    extra = 0
    raw_id_fields = ["template"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "coach", "language", "archived_at"]
    list_filter = ["language"]
    raw_id_fields = ["coach"]
    search_fields = ["title", "coach__email"]
    inlines = [ProgrammeStepInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["coachee", "programme", "enrolled_at", "ended_at"]
    raw_id_fields = ["coachee", "programme"]
    search_fields = ["coachee__name", "programme__title"]


@admin.register(StepDecision)
class StepDecisionAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "step", "outcome", "decided_at"]
    raw_id_fields = ["enrolment", "step", "assignment", "session"]
