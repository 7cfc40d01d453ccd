"""The built-in example programmes exist in every language of the built-in library, with the same plan."""

from django.conf import settings
from django.urls import reverse

from assignments.programmes.models import Programme


def _plans(language):
    return [
        list(p.steps.order_by("number").values_list("kind", "cadence", "due_rule", "due_days"))
        for p in Programme.objects.builtin().filter(language=language).order_by("pk")
    ]


def test_every_language_has_the_same_built_in_programmes(db):
    english = _plans("en")
    assert len(english) >= 2 and all(3 <= len(plan) <= 6 for plan in english)
    for code, _name in settings.LANGUAGES:
        assert _plans(code) == english, code
        titles = Programme.objects.builtin().filter(language=code).values_list("title", flat=True)
        assert len(set(titles)) == len(english), code


def test_a_coach_sees_the_built_in_programmes_in_their_language(client, coach):
    coach.language = "de"
    coach.save()
    client.force_login(coach)
    page = client.get(reverse("programmes:list")).content.decode()
    assert "Führung in sechs Sitzungen" in page and "Six sessions of leadership" not in page
