"""The homework library: built-in templates for every kind plus the coach's own, filtered by kind."""

import pytest
from django.conf import settings
from django.urls import reverse

from assignments.models import HomeworkTemplate, Kind
from tests.factories import CoacheeFactory, HomeworkTemplateFactory

LIBRARY = reverse("homework:library")
CREATE = reverse("homework:template_create")


def template_data(**overrides):
    data = {
        "kind": "observation",
        "title": "Energy at work",
        "instructions": "Note when your energy rises or drops.",
        "purpose": "See what drains and what feeds you.",
        "approach": "A line in your notebook each time.",
        "review_plan": "We look for patterns.",
        "questions": "",
        "cadence": "daily",
        "language": "en",
    }
    data.update(overrides)
    return data


def test_built_in_templates_of_every_kind_and_the_coachs_own(coach, coach_client, other_coach):
    own = HomeworkTemplateFactory(coach=coach, title="My own template")
    HomeworkTemplateFactory(coach=other_coach, title="Someone else's template")
    page = coach_client.get(LIBRARY).content.decode()
    for label in Kind.labels:
        assert str(label) in page
    for builtin in HomeworkTemplate.objects.filter(coach=None, language="en"):
        assert builtin.title in page
    assert "My own template" in page
    assert reverse("homework:template_edit", args=[own.pk]) in page
    assert "Someone else" not in page
    builtin = HomeworkTemplate.objects.filter(coach=None).first()
    assert reverse("homework:template_edit", args=[builtin.pk]) not in page


def test_filter_by_kind(coach_client):
    page = coach_client.get(LIBRARY, {"kind": "creative"}).content.decode()
    assert "Letter to your future self" in page
    assert "Weekly reflection" not in page


def test_an_unknown_kind_shows_everything(coach_client):
    page = coach_client.get(LIBRARY, {"kind": "<script>"}).content.decode()
    assert "Weekly reflection" in page
    assert "<script>" not in page.split("</nav>", 1)[1].split("<script src")[0]


def test_assign_from_the_library_offers_the_coachs_active_coachees(coach, coach_client, coachee, other_coachee):
    CoacheeFactory(coach=coach, name="Archived Anna", archived_at="2026-01-01T00:00Z")
    builtin = HomeworkTemplate.objects.get(coach=None, title="Mood journal")
    page = coach_client.get(LIBRARY).content.decode()
    assert f"{reverse('homework:assign', args=[coachee.pk])}?template={builtin.pk}" in page
    assert other_coachee.name not in page
    assert "Archived Anna" not in page


def test_template_detail_for_built_in_and_own_but_not_anothers(coach, coach_client, other_coach):
    builtin = HomeworkTemplate.objects.get(coach=None, title="Weekly reflection")
    page = coach_client.get(reverse("homework:template_detail", args=[builtin.pk])).content.decode()
    assert "What did you notice this week in your behaviour or thoughts?" in page
    foreign = HomeworkTemplateFactory(coach=other_coach)
    assert coach_client.get(reverse("homework:template_detail", args=[foreign.pk])).status_code == 404


def test_create_an_own_template(coach, coach_client):
    response = coach_client.post(CREATE, template_data())
    template = HomeworkTemplate.objects.get(title="Energy at work")
    assert response["Location"] == reverse("homework:template_detail", args=[template.pk])
    assert template.coach == coach
    assert template.cadence == "daily"


def test_a_template_of_another_kind_keeps_no_reflection_questions(coach, coach_client):
    page = coach_client.get(CREATE).content.decode()
    coach_client.post(CREATE, template_data(kind="observation", questions="Left over?"))

    assert HomeworkTemplate.objects.get(title="Energy at work").questions == []
    assert "js/assign-form.js" in page  # shows questions and cadence only for the kinds that use them


def test_own_templates_have_an_edit_button_that_does_not_look_switched_off(coach, coach_client):
    own = HomeworkTemplateFactory(coach=coach)
    edit = reverse("homework:template_edit", args=[own.pk])

    for page in (coach_client.get(LIBRARY), coach_client.get(reverse("homework:template_detail", args=[own.pk]))):
        assert f'class="btn btn-sm btn-outline-primary" href="{edit}"' in page.content.decode()


def test_the_kind_filter_wears_the_brand_colours(coach_client):
    page = coach_client.get(LIBRARY).content.decode()
    css = (settings.BASE_DIR / "static" / "css" / "coachhub.css").read_text()

    assert 'class="nav nav-pills kind-filter mb-2"' in page
    rule = css[css.index(".kind-filter .nav-link {") :].split("}")[0]
    assert "--bs-nav-pills-link-active-bg: var(--brand)" in rule
    assert "--bs-nav-link-color: var(--brand)" in rule


def test_create_prefills_the_kind_from_the_library_filter(coach_client):
    initial = coach_client.get(CREATE, {"kind": "creative"}).context["form"].initial
    assert initial == {"kind": "creative", "language": "en"}
    assert coach_client.get(CREATE, {"kind": "nonsense"}).status_code == 200


def test_edit_an_own_template(coach, coach_client):
    own = HomeworkTemplateFactory(coach=coach, title="Before")
    edit = reverse("homework:template_edit", args=[own.pk])
    assert coach_client.get(edit).context["form"].initial["title"] == "Before"
    response = coach_client.post(edit, template_data(kind="reflection", title="After", questions="One?\nTwo?"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.title, own.kind, own.questions) == ("After", "reflection", ["One?", "Two?"])


def test_built_in_or_anothers_templates_cannot_be_edited(coach_client, other_coach):
    builtin = HomeworkTemplate.objects.filter(coach=None).first()
    foreign = HomeworkTemplateFactory(coach=other_coach, title="Theirs")
    for template in (builtin, foreign):
        edit = reverse("homework:template_edit", args=[template.pk])
        assert coach_client.get(edit).status_code == 404
        assert coach_client.post(edit, template_data(title="Hijacked")).status_code == 404
    assert not HomeworkTemplate.objects.filter(title="Hijacked").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "reflection", "questions": ""}, "questions"),
        ({"title": "x" * 201}, "title"),
        ({"instructions": ""}, "instructions"),
        ({"kind": "unknown"}, "kind"),
        ({"questions": "\n".join(["Why?"] * 21)}, "questions"),
        ({"questions": "y" * 501}, "questions"),
    ],
)
def test_bad_template_input_gives_form_errors(overrides, field, coach_client):
    response = coach_client.post(CREATE, template_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HomeworkTemplate.objects.filter(coach__isnull=False).exists()
