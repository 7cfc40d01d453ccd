"""Adding and editing coachees."""

import re

import pytest
from django.urls import reverse

from sessions import services
from sessions.models import Coachee
from tests.conftest import assert_sent_to_own_homework
from tests.factories import CoacheeFactory
from tests.sessions.conftest import assert_redirects_to_login, form_errors

CREATE_URL = reverse("coaching:coachee_create")


def _edit_url(coachee):
    return reverse("coaching:coachee_edit", args=[coachee.pk])


def _data(**overrides):
    data = {
        "name": "Nina New",
        "email": "Nina@Example.com",
        "coaching_question": "How do I speak up in meetings?",
        "language": "en",
        "timezone": "Europe/Lisbon",
        "goals": "Speak once in every meeting\n\n  Ask for feedback monthly  \n",
    }
    return {**data, **overrides}


# --- Add ----------------------------------------------------------------------------------------


def test_form_suggests_the_coachs_own_time_zone(coach_client, coach):
    coach.timezone = "Asia/Tokyo"
    coach.save()

    response = coach_client.get(CREATE_URL)

    assert response.status_code == 200
    assert '<option value="Asia/Tokyo" selected>' in response.content.decode()


def test_owner_adds_a_coachee_with_goals(coach_client, coach):
    response = coach_client.post(CREATE_URL, _data())

    coachee = Coachee.objects.get(coach=coach)
    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    assert (coachee.name, coachee.email, coachee.timezone) == ("Nina New", "nina@example.com", "Europe/Lisbon")
    assert coachee.coaching_question == "How do I speak up in meetings?"
    assert [g.title for g in coachee.goals.all()] == ["Speak once in every meeting", "Ask for feedback monthly"]
    assert all(g.status == "active" for g in coachee.goals.all())


def test_anonymous_is_sent_to_login(client, db):
    assert_redirects_to_login(client.get(CREATE_URL))
    assert_redirects_to_login(client.post(CREATE_URL, _data()))
    assert not Coachee.objects.filter(email="nina@example.com").exists()


def test_a_coachee_login_is_sent_to_their_homework(coachee_client):
    assert_sent_to_own_homework(coachee_client.get(CREATE_URL))
    assert_sent_to_own_homework(coachee_client.post(CREATE_URL, _data()))


def test_duplicate_email_of_the_same_coach_is_a_form_error(coach_client, coachee):
    response = coach_client.post(CREATE_URL, _data(email=coachee.email.upper()))

    assert "already have a coachee with this email" in form_errors(response)["email"][0]
    assert "already have a coachee with this email" in response.content.decode()
    assert Coachee.objects.filter(coach=coachee.coach).count() == 1


def test_duplicate_email_of_an_archived_coachee_is_a_form_error(coach_client, coach):
    CoacheeFactory(coach=coach, email="nina@example.com", archived_at="2026-01-01T00:00Z")

    response = coach_client.post(CREATE_URL, _data())

    assert "email" in form_errors(response)
    assert Coachee.objects.filter(coach=coach).count() == 1


def test_another_coachs_coachee_may_have_the_same_email(coach_client, coach, other_coach):
    """Without a login of their own, a person can be the coachee of two coaches."""
    CoacheeFactory(coach=other_coach, email="nina@example.com")

    response = coach_client.post(CREATE_URL, _data(email="nina@example.com"))

    assert response.status_code == 302
    assert Coachee.objects.get(coach=coach).email == "nina@example.com"


@pytest.mark.parametrize("whose", ["another coachee's login", "another coach"])
def test_an_address_with_someone_elses_login_is_accepted_without_telling(
    whose, coach_client, coach, other_coachee, other_coach, mailoutbox, django_capture_on_commit_callbacks
):
    """The form must not reveal who has a CoachHub account. A login belongs to one coachee record
    only, so the owner of the address is asked, by mail, to give the coach another address."""
    email = {"another coachee's login": other_coachee.email, "another coach": other_coach.email}[whose]

    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(CREATE_URL, _data(email=email.upper(), send_invitation="on"))

    coachee = Coachee.objects.get(coach=coach)
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    page = coach_client.get(response["Location"]).content.decode()
    assert f"An invitation is on its way to {email}" in page
    assert "account" not in page.split("An invitation is on its way")[1].split("</div>")[0]
    assert coachee.user is None
    [mail] = mailoutbox
    assert mail.to == [email]
    assert mail.subject == "Clara Coach would like to invite you to CoachHub"
    assert "give Clara Coach another email address" in mail.body
    assert "/accounts/invitation/" not in mail.body


def test_the_coachs_own_address_is_a_form_error(coach_client, coach):
    response = coach_client.post(CREATE_URL, _data(email=coach.email.upper()))

    assert form_errors(response)["email"] == ["This is your own address. Enter your coachee's address."]
    assert not Coachee.objects.filter(coach=coach).exists()


def test_over_long_input_is_a_form_error(coach_client, coach):
    response = coach_client.post(
        CREATE_URL, _data(name="n" * 151, coaching_question="q" * 2001, goals="fine\n" + "g" * 201)
    )

    errors = form_errors(response)
    assert "at most 150 characters" in errors["name"][0]
    assert "at most 2000 characters" in errors["coaching_question"][0]
    assert "Line 2 is longer than 200 characters" in errors["goals"][0]
    assert not Coachee.objects.filter(coach=coach).exists()


def test_missing_name_and_bad_email_and_unknown_time_zone_are_form_errors(coach_client, coach):
    response = coach_client.post(CREATE_URL, _data(name="", email="not-an-email", timezone="Mars/Olympus"))

    errors = form_errors(response)
    assert set(errors) == {"name", "email", "timezone"}
    assert not Coachee.objects.filter(coach=coach).exists()


def test_too_many_goals_is_a_form_error(coach_client, coach):
    response = coach_client.post(CREATE_URL, _data(goals="\n".join(f"Goal {n}" for n in range(21))))

    assert "at most 20 goals" in form_errors(response)["goals"][0]


def test_repeated_goal_lines_make_one_goal(coach_client, coach):
    coach_client.post(CREATE_URL, _data(goals="Rest more\nrest more\nRest more"))

    assert [g.title for g in Coachee.objects.get(coach=coach).goals.all()] == ["Rest more"]


# --- Edit ---------------------------------------------------------------------------------------


def test_edit_form_shows_the_current_values(coach_client, coachee):
    response = coach_client.get(_edit_url(coachee))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{coachee.name}"' in page
    assert coachee.coaching_question in page
    assert reverse("coaching:coachee_archive", args=[coachee.pk]) in page


def test_owner_edits_a_coachee(coach_client, coach):
    coachee = CoacheeFactory(coach=coach, name="Nina New", email="nina@example.com")

    response = coach_client.post(
        _edit_url(coachee),
        {
            "name": "Nina Changed",
            "email": "NINA.NEW@example.com",
            "coaching_question": "New",
            "language": "en",
            "timezone": "UTC",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    coachee.refresh_from_db()
    assert (coachee.name, coachee.email, coachee.coaching_question, coachee.timezone) == (
        "Nina Changed",
        "nina.new@example.com",
        "New",
        "UTC",
    )


def test_editing_a_coachee_with_a_login_changes_their_login_too_but_not_its_email(coach_client, coachee):
    """Name and time zone stay the same on both sides; the email is their login and stays theirs."""
    page = coach_client.get(_edit_url(coachee)).content.decode()
    assert re.search(r'<input type="email" name="email"[^>]* disabled', page)
    assert "Cody Coachee logs in with this address, so it cannot be changed here." in page

    response = coach_client.post(
        _edit_url(coachee),
        {
            "name": "Cody Changed",
            "email": "coach.owned@example.com",
            "coaching_question": "",
            "language": "en",
            "timezone": "Asia/Tokyo",
        },
    )

    assert response.status_code == 302
    coachee.refresh_from_db()
    coachee.user.refresh_from_db()
    assert (coachee.name, coachee.email, coachee.timezone) == ("Cody Changed", "cody@example.com", "Asia/Tokyo")
    assert (coachee.user.name, coachee.user.email, coachee.user.timezone) == (
        "Cody Changed",
        "cody@example.com",
        "Asia/Tokyo",
    )


def test_the_service_refuses_a_new_email_for_a_coachee_with_a_login(coachee):
    with pytest.raises(services.EmailIsLogin):
        services.coachee_update(coachee=coachee, email="elsewhere@example.com")
    coachee.refresh_from_db()
    assert coachee.email == "cody@example.com"


def test_a_login_set_up_while_the_coach_edits_is_kept(coach, coachee):
    """The coach's copy of the record predates the login: saving it must not unlink the login."""
    stale = Coachee.objects.get(pk=coachee.pk)
    stale.user = None
    stale.user_id = None

    services.coachee_update(coachee=stale, name="Cody Renamed")

    coachee.refresh_from_db()
    assert coachee.user_id is not None and coachee.name == "Cody Renamed"
    assert coachee.user.name == "Cody Renamed"


def test_changing_the_email_to_an_address_with_a_login_tells_nothing(coach_client, coach, other_coachee):
    coachee = CoacheeFactory(coach=coach, email="nina@example.com")
    data = {
        "name": coachee.name,
        "email": other_coachee.email,
        "coaching_question": "",
        "language": "en",
        "timezone": "UTC",
    }

    response = coach_client.post(_edit_url(coachee), data)

    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.email == other_coachee.email and coachee.user is None


def test_keeping_the_own_email_is_no_duplicate(coach_client, coachee):
    data = {
        "name": "Cody C.",
        "email": coachee.email,
        "coaching_question": "",
        "language": "en",
        "timezone": coachee.timezone,
    }

    assert coach_client.post(_edit_url(coachee), data).status_code == 302
    coachee.refresh_from_db()
    assert coachee.name == "Cody C."


def test_editing_to_the_email_of_another_own_coachee_is_a_form_error(coach_client, coach):
    coachee = CoacheeFactory(coach=coach, email="nina@example.com")
    CoacheeFactory(coach=coach, email="taken@example.com")
    data = {
        "name": coachee.name,
        "email": "Taken@example.com",
        "coaching_question": "",
        "language": "en",
        "timezone": "UTC",
    }

    response = coach_client.post(_edit_url(coachee), data)

    assert "email" in form_errors(response)
    coachee.refresh_from_db()
    assert coachee.email == "nina@example.com"


def test_over_long_edit_is_a_form_error(coach_client, coachee):
    data = {"name": "x" * 500, "email": coachee.email, "coaching_question": "", "language": "en", "timezone": "UTC"}

    response = coach_client.post(_edit_url(coachee), data)

    assert "name" in form_errors(response)
    coachee.refresh_from_db()
    assert coachee.name == "Cody Coachee"


def test_another_coach_cannot_open_or_change_the_coachee(other_coach_client, coachee):
    data = {"name": "Hijacked", "email": "h@example.com", "coaching_question": "", "language": "en", "timezone": "UTC"}

    assert other_coach_client.get(_edit_url(coachee)).status_code == 404
    assert other_coach_client.post(_edit_url(coachee), data).status_code == 404
    coachee.refresh_from_db()
    assert coachee.name == "Cody Coachee"


def test_edit_for_anonymous_and_coachee_logins(client, coachee_client, coachee):
    assert_redirects_to_login(client.get(_edit_url(coachee)))
    assert_sent_to_own_homework(coachee_client.get(_edit_url(coachee)))


def test_unknown_coachee_id_is_404(coach_client):
    assert coach_client.get(reverse("coaching:coachee_edit", args=[999999])).status_code == 404


def test_duplicate_that_slips_past_the_form_check_is_still_a_form_error(coach_client, coachee, monkeypatch):
    """Two submissions at once can both pass the form check; the database constraint decides."""
    from sessions.forms import CoacheeForm

    monkeypatch.setattr(CoacheeForm, "clean_email", lambda form: form.cleaned_data["email"].lower())

    response = coach_client.post(CREATE_URL, _data(email=coachee.email))

    assert "already have a coachee with this email" in form_errors(response)["email"][0]
    assert Coachee.objects.filter(coach=coachee.coach).count() == 1
