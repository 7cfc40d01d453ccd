"""Who may open which URL, generated from the URL configuration.

Every URL in a coach namespace is requested by its owner, another coach, a coachee and an anonymous
visitor; every URL in the coachee namespace by its owner, another coachee, their own coach, another
coach and an anonymous visitor; an uploaded file by the coachee, their coach, another coach and
another coachee. A URL that is in none of these groups and not listed as public fails the test, so
a new URL cannot be added without deciding who may see it.
"""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from assignments.models import AgreementStep, Assignment
from assignments.programmes import services as programme_services
from assignments.services import submission_submit
from tests.factories import (
    AssignmentFactory,
    CoachingSessionFactory,
    GoalFactory,
    HomeworkTemplateFactory,
    LogEntryFactory,
    ProgrammeFactory,
    ProgrammeStepFactory,
    UploadFactory,
)

COACH_NAMESPACES = {"coaching", "homework", "progress", "reminders", "programmes"}
# The coachee's own pages: nobody else, not even their coach, may open them.
COACHEE_NAMESPACES = {"my"}
# The coachee's own pages that take no object id: each shows or changes the data of whoever is
# logged in as a coachee, so another coachee gets their own (never this coachee's) and any coach 404.
OWN_DATA_COACHEE_NAMESPACES = {"progress:mine", "reminders:mine"}
# Public but unguessable: the address holds a secret token (a calendar feed, the unsubscribe link of
# a mail); tests/progress and tests/reminders cover that a made-up, replaced or switched-off token
# answers 404.
SECRET_TOKEN_NAMESPACES = {"progress:feed", "reminders:unsubscribe"}
# Shared between a coachee and their coach: the files the coachee uploaded.
SHARED_NAMES = {"upload_file"}
# Reachable without being a coach: the front door, the language switcher of public pages (it only sets
# a cookie; tests/i18n), the admin (staff only), and the benchmark's two baselines, routed only with
# BENCH_VIEWS=1 (tests/test_bench.py: one open to all, one behind a login).
PUBLIC_PREFIXES = ("admin/", "bench/")
PUBLIC_NAMES = {"home", "set_language"}
# Account pages for visitors: logging in, signing up, resets, and the pages mailed links open (each
# checks its own token), plus the passkey steps of the second factor after a password login.
VISITOR_ACCOUNT_NAMES = {
    "signup",
    "signup_sent",
    "confirm_email",
    "login",
    "logout",
    "login_link",
    "login_link_sent",
    "login_link_open",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitations:accept",
    "invitations:renew",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}
# Pages of one's own account: they need a login and show or change only the logged-in person's
# account; an object in the address (a session, a device) that is someone else's answers 404.
OWN_ACCOUNT_NAMES = {
    "account_settings",
    "confirm_email_resend",
    "password_change",
    "password_change_done",
    "account_sessions",
    "account_session_end",
    "account_sessions_end_others",
    "account_sign_in_notices",
    "twofactor:overview",
    "twofactor:verify",
    "twofactor:authenticator_add",
    "twofactor:passkey_add",
    "twofactor:recovery_codes",
    "twofactor:recovery_codes_regenerate",
    "twofactor:device_remove",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if inner and namespace:  # a namespace nested in another is reversed as "outer:inner"
                inner = f"{namespace}:{inner}"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def _all_urls():
    return list(_walk(get_resolver().url_patterns))


def _coach_url_names(*, with_object: bool | None = None):
    """Names of the coach URLs; with_object=True keeps those that take an object id, False the others."""
    return sorted(
        f"{ns}:{p.name}"
        for _route, ns, p in _all_urls()
        if ns in COACH_NAMESPACES and with_object in (None, bool(p.pattern.converters))
    )


def _coachee_url_names():
    return sorted(f"{ns}:{p.name}" for _route, ns, p in _all_urls() if ns in COACHEE_NAMESPACES)


def test_every_url_has_an_access_rule():
    unruled = [
        route
        for route, ns, pattern in _all_urls()
        if ns not in COACH_NAMESPACES | COACHEE_NAMESPACES | OWN_DATA_COACHEE_NAMESPACES | SECRET_TOKEN_NAMESPACES
        and pattern.name not in PUBLIC_NAMES | SHARED_NAMES
        and _full_name(ns, pattern) not in VISITOR_ACCOUNT_NAMES | OWN_ACCOUNT_NAMES
        and not route.startswith(PUBLIC_PREFIXES)
    ]
    assert unruled == [], f"URLs without an access rule in tests/test_access.py: {unruled}"


def _full_name(namespace, pattern) -> str:
    return f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def owned(coach, coachee):
    """One object of each kind, all belonging to `coach`, keyed by URL parameter name."""
    # It starts within the hour: open for reviews and marking it held, so every page of it shows.
    session = CoachingSessionFactory(coachee=coachee, starts_at=timezone.now() + timedelta(minutes=30))
    assignment = AssignmentFactory(coachee=coachee, assigned_at=timezone.now() - timedelta(hours=1))
    # Proposed, with a change suggested: the agreement's pages have something to answer.
    assignment.agreement = Assignment.Agreement.SUGGESTED
    assignment.save(update_fields=["agreement"])
    AgreementStep.objects.create(
        assignment=assignment, by=coachee.user, action="suggested", changes={"approach": {"old": "", "new": "Later"}}
    )
    # Work to read, and homework with no session ahead, so the dashboard's full lists have a row of
    # this coachee's (another coach must not see it).
    AssignmentFactory(
        coachee=coachee, status="submitted", submitted_at=timezone.now(), due_at=timezone.now() + timedelta(days=30)
    )
    # A programme of the coach's that the coachee follows: its first step falls on `session`.
    programme = ProgrammeFactory(coach=coach)
    step = ProgrammeStepFactory(programme=programme, number=1, coach_notes="Private programme note")
    enrolment = programme_services.enrol(programme=programme, coachee=coachee)
    return {
        "programme_pk": programme.pk,
        "step_pk": step.pk,
        "enrolment_pk": enrolment.pk,
        "coachee_pk": coachee.pk,
        "session_pk": session.pk,
        "assignment_pk": assignment.pk,
        "goal_pk": GoalFactory(coachee=coachee).pk,
        "template_pk": HomeworkTemplateFactory(coach=coach).pk,
    }


def _url(name, owned):
    pattern = next(p for _route, ns, p in _all_urls() if f"{ns}:{p.name}" == name or p.name == name)
    params = list(pattern.pattern.converters)
    unknown = [p for p in params if p not in owned]
    assert not unknown, f"{name}: no test object for URL parameter(s) {unknown}; add one to `owned`"
    return reverse(name, kwargs={p: owned[p] for p in params}), bool(params)


def _request(client, url):
    """GET the page; for POST-only views (405 on GET) POST instead, as a person would."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


@pytest.mark.parametrize("name", _coach_url_names())
def test_owner_gets_the_page(name, client, coach, owned):
    url, _ = _url(name, owned)
    client.force_login(coach)
    response = client.get(url)
    if response.status_code == 405:
        assert client.post(url).status_code == 302, f"{name}: POST by the owner should act and redirect"
    else:
        assert response.status_code == 200, f"{name}: owner got {response.status_code}"


@pytest.mark.parametrize("name", _coach_url_names())
def test_another_coach_gets_404_or_only_their_own_data(name, client, other_coach, coachee, owned):
    url, has_object = _url(name, owned)
    client.force_login(other_coach)
    response = _request(client, url)
    if has_object:
        assert response.status_code == 404, f"{name}: another coach got {response.status_code}"
    else:
        assert response.status_code in (200, 302)
        assert coachee.name not in response.content.decode()


def _sent_to_own_start_page(response, start_page):
    """The other role's page: a redirect to the person's own start page (before any look-up, so
    nothing of the object in the address shows), never the page itself."""
    return response.status_code == 302 and response["Location"] == reverse(start_page)


@pytest.mark.parametrize("name", _coach_url_names())
def test_a_coachee_is_sent_to_their_own_homework(name, client, coachee, owned):
    url, _ = _url(name, owned)
    client.force_login(coachee.user)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert _sent_to_own_start_page(response, "my:home"), f"{name}: {method.upper()} got {response.status_code}"


@pytest.mark.parametrize("name", _coach_url_names())
def test_anonymous_is_sent_to_login(name, client, owned):
    url, _ = _url(name, owned)
    response = _request(client, url)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("login") + "?next=")


# The dashboard's full lists take no object id: each lists the logged-in coach's own rows only.
DASHBOARD_LISTS = ["homework:to_read", "homework:upcoming_sessions", "homework:needing_a_session"]


@pytest.mark.parametrize("name", DASHBOARD_LISTS)
def test_a_dashboard_list_shows_the_coachs_own_rows_and_nobody_elses(name, client, coach, other_coach, coachee, owned):
    client.force_login(coach)
    assert coachee.name in client.get(reverse(name)).content.decode(), f"{name}: the owner should see their row"
    client.force_login(other_coach)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert coachee.name not in response.content.decode()


# --- The coachee's pages ------------------------------------------------------------------------


@pytest.fixture
def coachee_owned(coachee):
    """The coachee's homework of each kind a coachee URL may need, and a log entry and a file on it,
    keyed by URL parameter name. Log URLs use the practice, file URLs the creative homework."""
    practice = LogEntryFactory(assignment__coachee=coachee).assignment
    creative = UploadFactory(assignment__coachee=coachee).assignment
    reflection = AssignmentFactory(coachee=coachee, assigned_at=timezone.now() - timedelta(hours=1))
    return {
        "entry": {"assignment_pk": practice.pk, "entry_pk": practice.log_entries.get().pk},
        "upload": {"assignment_pk": creative.pk, "upload_pk": creative.uploads.get().pk},
        "": {"assignment_pk": reflection.pk},
    }


def _coachee_url(name, coachee_owned):
    objects = next(objects for word, objects in coachee_owned.items() if word in name)
    url, _has_object = _url(name, objects)
    return url


@pytest.mark.parametrize("name", _coachee_url_names())
def test_the_coachee_gets_their_page(name, client, coachee, coachee_owned):
    url = _coachee_url(name, coachee_owned)
    client.force_login(coachee.user)
    response = _request(client, url)
    assert response.status_code in (200, 302), f"{name}: the coachee got {response.status_code}"


@pytest.mark.parametrize("name", _coachee_url_names())
@pytest.mark.parametrize("who", ["other_coachee", "coach", "other_coach"])
def test_anyone_but_the_coachee_gets_404(name, who, request, client, coachee, coachee_owned):
    """Any coach (their own too: these pages are the coachee's alone) is sent to their dashboard;
    another coachee gets 404 for the coachee's objects, and on a page without one (their own home)
    none of the coachee's data."""
    url = _coachee_url(name, coachee_owned)
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    has_object = "assignment_pk" in (resolve(url).kwargs or {})
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if who == "other_coachee" and not has_object and response.status_code in (200, 405):
            page = response.content.decode()
            titles = coachee.assignments.values_list("title", flat=True)
            assert not [t for t in titles if t in page], f"{name}: another coachee saw the coachee's homework"
            continue
        if who != "other_coachee":
            assert _sent_to_own_start_page(response, "homework:dashboard"), f"{name}: {who} {method.upper()}"
            continue
        assert response.status_code in (404, 405), f"{name}: {who} got {response.status_code} on {method.upper()}"


@pytest.mark.parametrize("name", _coachee_url_names())
def test_anonymous_is_sent_to_login_for_coachee_pages(name, client, coachee_owned):
    url = _coachee_url(name, coachee_owned)
    response = _request(client, url)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_the_coachee_namespace_is_covered():
    assert "my:home" in _coachee_url_names()
    assert "my:assignment" in _coachee_url_names()


# --- The coachee's own data pages (progress, calendar feed, export, deletion request) ----------------


def _own_data_url_names():
    return sorted(f"{ns}:{p.name}" for _route, ns, p in _all_urls() if ns in OWN_DATA_COACHEE_NAMESPACES)


@pytest.mark.parametrize("name", _own_data_url_names())
def test_the_coachee_gets_their_own_data_page(name, client, coachee):
    client.force_login(coachee.user)
    response = _request(client, reverse(name))
    assert response.status_code in (200, 302), f"{name}: the coachee got {response.status_code}"


@pytest.mark.parametrize("name", _own_data_url_names())
@pytest.mark.parametrize("who", ["coach", "other_coach"])
def test_a_coach_is_sent_away_from_a_coachees_own_data_page(name, who, request, client, coachee):
    client.force_login(request.getfixturevalue(who))
    for method in ("get", "post"):
        response = getattr(client, method)(reverse(name))
        assert _sent_to_own_start_page(response, "homework:dashboard"), f"{name}: {who} {method.upper()}"


@pytest.mark.parametrize("name", _own_data_url_names())
def test_another_coachee_gets_only_their_own_data(name, client, coachee, other_coachee):
    AssignmentFactory(coachee=coachee, title="Cody's private homework")
    client.force_login(other_coachee.user)
    response = _request(client, reverse(name))
    assert response.status_code in (200, 302), name
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if name.endswith(":export"):
        body = zipfile.ZipFile(io.BytesIO(body)).read("data.json")
    assert b"Cody" not in body, f"{name}: another coachee saw the coachee's data"


@pytest.mark.parametrize("name", _own_data_url_names())
def test_anonymous_is_sent_to_login_for_own_data_pages(name, client):
    response = _request(client, reverse(name))
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_the_own_data_namespace_is_covered():
    assert {"progress:mine:home", "progress:mine:export", "progress:mine:deletion_request"} <= set(
        _own_data_url_names()
    )


@pytest.mark.parametrize(
    "name", sorted(f"{ns}:{p.name}" for _route, ns, p in _all_urls() if ns in SECRET_TOKEN_NAMESPACES)
)
def test_a_made_up_secret_token_answers_404_to_anyone(name, client, coach):
    url = reverse(name, kwargs={"token": "made-up-token"})
    assert client.get(url).status_code == 404
    client.force_login(coach)
    assert client.get(url).status_code == 404


# --- Uploaded files: the coachee and their coach -----------------------------------------------


@pytest.fixture
def upload(coachee):
    return UploadFactory(assignment__coachee=coachee)


def _file_url(upload):
    return reverse("upload_file", args=[upload.pk])


def test_the_coachee_gets_their_file(client, coachee, upload):
    client.force_login(coachee.user)
    assert client.get(_file_url(upload)).status_code == 200


def test_their_coach_gets_the_file_once_the_work_is_submitted(client, coach, upload):
    client.force_login(coach)
    assert client.get(_file_url(upload)).status_code == 404  # a draft stays private
    submission_submit(assignment=upload.assignment, text="My collage")
    assert client.get(_file_url(upload)).status_code == 200


@pytest.mark.parametrize("who", ["other_coach", "other_coachee"])
def test_anyone_else_gets_404_for_a_file(who, request, client, upload):
    submission_submit(assignment=upload.assignment, text="My collage")
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    assert client.get(_file_url(upload)).status_code == 404


def test_anonymous_is_sent_to_login_for_a_file(client, upload):
    response = client.get(_file_url(upload))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


# --- One's own account ----------------------------------------------------------------------------


@pytest.fixture
def account_owned(coach):
    """A signed-in session (in a browser of its own) and an authenticator app of `coach`, keyed by
    URL parameter name."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from coachhub.accounts.models import SignInSession

    Client().force_login(coach)
    device = TOTPDevice.objects.create(user=coach, name="Phone", confirmed=True)
    return {"pk_session": SignInSession.objects.get(user=coach).pk, "kind": "authenticator", "pk_device": device.pk}


def _account_url(name, account_owned):
    pattern = next(p for _route, ns, p in _all_urls() if _full_name(ns, p) == name)
    params = list(pattern.pattern.converters)
    objects = {
        "pk": account_owned["pk_device" if "device" in name else "pk_session"],
        "kind": account_owned["kind"],
    }
    return reverse(name, kwargs={p: objects[p] for p in params}), bool(params)


@pytest.mark.parametrize("name", sorted(OWN_ACCOUNT_NAMES))
def test_anonymous_is_sent_to_login_for_own_account_pages(name, client, account_owned):
    url, _ = _account_url(name, account_owned)
    response = _request(client, url)
    if name.startswith("otp_webauthn:"):  # the passkey script's JSON endpoints refuse instead
        assert response.status_code in (401, 403), f"{name}: anonymous got {response.status_code}"
        return
    assert response.status_code == 302, f"{name}: anonymous got {response.status_code}"
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    "name", sorted(n for n in OWN_ACCOUNT_NAMES if n in ("account_session_end", "twofactor:device_remove"))
)
@pytest.mark.parametrize("who", ["other_coach", "coachee"])
def test_someone_elses_session_or_device_answers_404(name, who, request, client, account_owned):
    url, has_object = _account_url(name, account_owned)
    assert has_object
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), f"{name}: {who} got {response.status_code} on {method.upper()}"
    assert response.status_code == 404


def test_every_own_account_page_with_an_object_is_tested_for_404():
    with_objects = {_full_name(ns, p) for _r, ns, p in _all_urls() if p.pattern.converters}
    assert with_objects & OWN_ACCOUNT_NAMES == {"account_session_end", "twofactor:device_remove"}


# --- Programmes -------------------------------------------------------------------------------------


def test_a_coachee_never_sees_a_programmes_coach_notes(client, coachee, owned):
    """The coachee sees where they are in the programme on their homework page, and the step's
    homework once assigned, but never the notes the coach keeps on a step."""
    client.force_login(coachee.user)
    home = client.get(reverse("my:home")).content.decode()
    from assignments.programmes.models import Programme

    assert Programme.objects.get(pk=owned["programme_pk"]).title in home
    assert "Private programme note" not in home
    for name in _coach_url_names():
        if name.startswith("programmes:"):
            url, _ = _url(name, owned)
            assert _sent_to_own_start_page(client.get(url), "my:home"), name
