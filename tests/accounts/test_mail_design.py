"""How a mail looks in the programs that read it: styles written into the elements (for programs
that drop <style>), a masthead with the product's name, brand-coloured links, the first name, and
colours of its own for dark mode; the plain-text part stays."""

import re

from coachhub.accounts import emails
from tests.factories import UserFactory


def test_a_mail_carries_its_styles_in_its_elements_and_has_a_dark_mode(db):
    user = UserFactory(name="Jonas Weber", email="jonas@example.com")

    mail = emails.message(
        "login-link", to=user.email, context={"user": user, "link": "https://x.example/l/1", "minutes": 15}
    )
    html = mail.alternatives[0][0]

    assert re.search(r'<a class="button" href="https://x.example/l/1" style="[^"]*background: #2f5d62', html)
    assert re.search(r'<p class="masthead" style="[^"]*"><a href="[^"]*" style="[^"]*">CoachHub</a>', html)
    assert "@media (prefers-color-scheme: dark)" in html and 'name="color-scheme" content="light dark"' in html
    assert "Hello Jonas," in html and "Hello Jonas," in mail.body  # the first name, in both parts
    assert "Weber" not in mail.body
    assert "<" not in mail.body  # the text part is text
