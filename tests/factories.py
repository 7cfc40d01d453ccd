"""factory_boy factories for every model, used by all tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from assignments.models import Assignment, Cadence, HomeworkTemplate, Kind, Review
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
