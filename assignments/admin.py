from django.contrib import admin

from .models import AgreementStep, Assignment, HomeworkTemplate, LogEntry, Review, Submission, Upload


@admin.register(HomeworkTemplate)
class HomeworkTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cadence", "creative_format", "coach"]
    list_filter = ["kind", "cadence", "creative_format"]
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


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "draft_saved_at", "fit_rating", "feedback_at"]
    raw_id_fields = ["assignment"]


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ["assignment", "type", "day", "did_it", "mood"]
    list_filter = ["type"]
    raw_id_fields = ["assignment"]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["original_name", "assignment", "content_type", "size", "created_at"]
    list_filter = ["content_type"]
    raw_id_fields = ["assignment"]
    # The stored file is reached only through the access-checked view, never a public URL, so the
    # admin shows where it lies rather than a link.
    exclude = ["file"]
    readonly_fields = ["stored_as", "content_type", "size"]

    @admin.display(description="stored as")
    def stored_as(self, upload):
        return upload.file.name


@admin.register(AgreementStep)
class AgreementStepAdmin(admin.ModelAdmin):
    list_display = ["assignment", "action", "by", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["assignment", "by", "session"]
