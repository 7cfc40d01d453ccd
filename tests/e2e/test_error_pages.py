"""Error pages on a phone: the branded 404 fits 375 px and offers a way back; a coachee who follows a
coach's link lands on their own homework with a note."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, shoot
from tests.factories import CoacheeFactory, CoacheeUserFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_missing_page_fits_a_phone_and_leads_back(phone_page):
    phone_page.goto("/coachees/999999/no-such-thing/")
    expect(phone_page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    assert _fits(phone_page)
    shoot(phone_page, "error-404")
    phone_page.get_by_role("link", name="Go to the start page").click()
    expect(phone_page).to_have_url(re.compile(r"/$"))


def test_a_coachee_on_a_coach_link_lands_on_their_homework(phone_page):
    user = CoacheeUserFactory(email="mia@example.com")
    coachee = CoacheeFactory(coach=UserFactory(), user=user, name="Mia Example", email=user.email)
    log_in(phone_page, user.email)
    phone_page.goto(f"/coachees/{coachee.pk}/")
    expect(phone_page).to_have_url(re.compile(r"/me/$"))
    expect(phone_page.get_by_role("status").filter(has_text="That page is for coaches")).to_be_visible()
    assert _fits(phone_page)
