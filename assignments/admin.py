from django.contrib import admin

from .models import Assignment, HomeworkTemplate, Review


@admin.register(HomeworkTemplate)
class HomeworkTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cadence", "coach"]
    list_filter = ["kind", "cadence"]
    search_fields = ["title", "instructions"]
    raw_id_fields = ["coach"]


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    raw_id_fields = ["session"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "coachee", "status", "assigned_at", "due_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "coachee__name"]
    raw_id_fields = ["coachee", "goal", "template", "assigned_in_session", "follow_up_of", "reviewed_session"]
    inlines = [ReviewInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "session", "outcome", "next_step", "created_at"]
    list_filter = ["outcome", "next_step"]
    raw_id_fields = ["assignment", "session"]
