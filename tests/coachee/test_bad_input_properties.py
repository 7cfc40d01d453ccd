"""Property-based: whatever text, numbers and dates arrive in the coachee's forms, the answer is a
page with a clear message or a redirect, never a server error, and a refused form keeps the text."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assignments.models import LogEntry
from tests.coachee.conftest import homework, page_url

# Anything a browser, a script or a fuzzer might send as a form value.
values = st.one_of(
    st.text(max_size=300),
    st.text(min_size=1, max_size=3).map(lambda piece: (piece * 10001)[:10010]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "yes", "no", "submit", "draft", "\x00", "2026-02-30", "1e9", "NaN", "<script>"]),
)
SLOW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
OK = {200, 302, 400, 409}


@pytest.fixture
def logged_in(coachee):
    client = Client()
    client.force_login(coachee.user)
    return client


@SLOW
@given(data=st.dictionaries(st.sampled_from(["action", "answer_0", "answer_1", "fit_rating", "remark"]), values))
def test_the_work_form_never_fails(logged_in, coachee, data):
    reflection = homework(coachee, "reflection")
    response = logged_in.post(page_url(reflection), data)
    assert response.status_code in OK
    if response.status_code == 200:
        page = response.content.decode()
        assert "invalid-feedback" in page or "alert-danger" in page
        for name in ("answer_0", "answer_1", "remark"):
            typed = data.get(name, "").strip()
            if typed and "\x00" not in typed and len(typed) < 200:
                assert escape(typed) in page, f"{name} was not kept"


@SLOW
@given(
    kind=st.sampled_from(["behavioural", "observation", "mood_journal"]),
    data=st.dictionaries(st.sampled_from(["day", "did_it", "mood", "note"]), values),
)
def test_the_log_form_never_fails(logged_in, coachee, kind, data):
    assignment = homework(coachee, kind)
    response = logged_in.post(reverse("my:entry_add", args=[assignment.pk]), data)
    assert response.status_code in OK
    for entry in LogEntry.objects.filter(assignment=assignment):
        # Whatever got in is a valid entry of the homework's own kind.
        assert entry.type == assignment.entry_type
        assert entry.mood is None or 1 <= entry.mood <= 5
        assert entry.day <= (entry.created_at + timedelta(days=1)).date()
