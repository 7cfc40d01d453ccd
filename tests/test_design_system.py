"""The design system's colour tokens (static/README.md): the CSS holds the documented values, every
documented contrast is what the colours give, and each meets what its use needs (WCAG 2.2 AA). The
icon sprite is up to date and holds every icon a template draws."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from assets.build import ICONS, SPRITE, build_sprite

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(
    r"^\| `(--[\w-]+)` \| (#[0-9a-f]{6}) \| (#[0-9a-f]{6}) \| (#[0-9a-f]{6}) \| ([\d.]+):1 \| ([\d.]+) \|", re.M
)
ROOT_RULE = re.compile(r":root \{(.*?)\}", re.S)
TOKEN = re.compile(r"(--[\w-]+):\s*(#[0-9a-f]{6});")


def luminance(colour: str) -> float:
    def channel(part: str) -> float:
        value = int(part, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


ROWS = ROW.findall((ROOT / "static" / "README.md").read_text())
CSS_TOKENS = dict(TOKEN.findall(ROOT_RULE.search((ROOT / "static" / "css" / "coachhub.css").read_text()).group(1)))


def test_every_css_token_is_documented():
    assert len(ROWS) >= 20
    assert {row[0] for row in ROWS} == set(CSS_TOKENS)


@pytest.mark.parametrize(("token", "value", "text", "background", "claimed", "needs"), ROWS, ids=[r[0] for r in ROWS])
def test_a_token_has_its_value_and_its_contrast(token, value, text, background, claimed, needs):
    assert CSS_TOKENS[token] == value
    assert value in (text, background), "the pair shows the token itself"
    actual = contrast(text, background)
    assert round(actual, 1) == float(claimed), f"{token}: {actual:.2f}:1, not {claimed}:1"
    assert actual >= float(needs)


def test_the_icon_sprite_is_built_from_the_icon_files():
    assert SPRITE.read_text() == build_sprite(), "run `make css`"
    names = {path.stem for path in ICONS.glob("*.svg")}
    assert set(re.findall(r'<symbol id="([\w-]+)"', SPRITE.read_text())) == names


def test_every_icon_a_template_draws_is_in_the_sprite():
    used = set()
    for template in (ROOT / "templates").rglob("*.html"):
        used |= set(re.findall(r"""\{% icon ["']([\w-]+)["']""", template.read_text()))
    assert used <= {path.stem for path in ICONS.glob("*.svg")}


def test_an_icon_is_hidden_unless_it_is_given_a_name():
    plain = Template('{% icon "inbox" %}').render(Context())
    named = Template('{% icon "search" label="Search" %}').render(Context())
    assert 'aria-hidden="true"' in plain and "sprite" in plain and "#inbox" in plain
    assert 'role="img" aria-label="Search"' in named and "aria-hidden" not in named
