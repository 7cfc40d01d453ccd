"""factory_boy factories for every model, used by all tests."""

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils import timezone as dj_timezone

from assignments.models import Assignment, Cadence, HomeworkTemplate, Kind, LogEntry, Review, Submission, Upload
from assignments.programmes.models import Programme, ProgrammeStep
from coachhub.accounts.models import User
from sessions.models import Coachee, CoachingSession, Goal, Invitation

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"coach{n}@example.com")
    name = factory.Faker("name")
    role = User.Role.COACH
    timezone = "Europe/Berlin"
    email_confirmed_at = factory.LazyFunction(dj_timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CoacheeUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"coachee{n}@example.com")
    role = User.Role.COACHEE


class CoacheeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coachee

    coach = factory.SubFactory(UserFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    coaching_question = "How can I lead my team with more calm?"
    timezone = "Europe/Berlin"


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation whose link carries the token `token-<n>` (tests usually send real ones)."""

    class Meta:
        model = Invitation

    coachee = factory.SubFactory(CoacheeFactory)
    token_hash = factory.Sequence(lambda n: Invitation.hash_token(f"token-{n}"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    coachee = factory.SubFactory(CoacheeFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    coachee = factory.SubFactory(CoacheeFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    duration_minutes = 60
    location = "Office"


class HomeworkTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeworkTemplate

    coach = factory.SubFactory(UserFactory)
    kind = Kind.REFLECTION
    title = factory.Sequence(lambda n: f"Template {n}")
    instructions = "Write down what you noticed."
    purpose = "To notice patterns."
    questions = factory.LazyFunction(lambda: ["What did you notice?"])
    cadence = Cadence.ONCE


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    coachee = factory.SubFactory(CoacheeFactory)
    kind = Kind.REFLECTION
    title = factory.Sequence(lambda n: f"Homework {n}")
    instructions = "Reflect on your week."
    purpose = "To notice patterns."
    questions = factory.LazyFunction(lambda: ["What did you notice?"])
    assigned_at = factory.LazyFunction(timezone.now)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    session = factory.SubFactory(CoachingSessionFactory)
    outcome = Review.Outcome.DONE
    next_step = Review.NextStep.CLOSE


# A real 1x1 PNG, so pages that show uploads can render it.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xd0\x8fM\xfa\x0f\x00\x03\x9b\x01\xee\xda\x84\x98\xdf\x00\x00\x00\x00IEND\xaeB`\x82"
)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    assignment = factory.SubFactory(AssignmentFactory)
    answers = factory.LazyFunction(lambda: ["I noticed that I say yes too fast."])
    draft_saved_at = factory.LazyFunction(timezone.now)


class LogEntryFactory(factory.django.DjangoModelFactory):
    """A daily check-in: "did it" on the day it is logged."""

    class Meta:
        model = LogEntry

    assignment = factory.SubFactory(AssignmentFactory, kind=Kind.BEHAVIOURAL, cadence=Cadence.DAILY, questions=[])
    type = LogEntry.Type.DAY
    day = factory.LazyFunction(timezone.localdate)
    did_it = True
    note = "Said no to an extra meeting."


class UploadFactory(factory.django.DjangoModelFactory):
    """A PNG on creative homework, stored under a random name as the upload service does."""

    class Meta:
        model = Upload

    assignment = factory.SubFactory(AssignmentFactory, kind=Kind.CREATIVE, questions=[])
    file = factory.django.FileField(data=PNG_BYTES, filename=factory.Sequence(lambda n: f"{n:032x}.png"))
    original_name = "values-collage.png"
    content_type = "image/png"
    size = len(PNG_BYTES)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    coach = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Programme {n}")
    language = "en"


class ProgrammeStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeStep

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = Kind.PREPARATION
    title = factory.Sequence(lambda n: f"Programme step {n}")
    instructions = "Bring one example from your week."
