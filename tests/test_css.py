"""The Bootstrap CSS the pages load: built from assets/coachhub.scss, up to date, and complete for
every Bootstrap class the templates, forms and scripts use (see assets/README.md)."""

import re
from pathlib import Path

import pytest
import sass

from assets.build import ROOT, TARGET, build

# Classes that no template spells out in full: built from a value, or added by a library or script.
GENERATED = {
    # templates/base.html: alert-{{ message.tags }}, for each message level the views use.
    "alert-success",
    "alert-info",
    "alert-warning",
    "alert-danger",
    # crispy-bootstrap5 renders fields with these.
    "form-label",
    "form-control",
    "form-select",
    "form-check",
    "form-check-input",
    "form-check-label",
    "form-text",
    "is-invalid",
    "invalid-feedback",
    # static/js/menus.js marks open menus with it.
    "show",
}
SOURCES = ["templates", "assignments", "sessions", "coachhub", "static/js"]
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
CLASS_ATTRIBUTE = re.compile(r"""class(?:Name)?\s*=\s*(["'])(.*?)\1|["']class["']\s*:\s*(["'])(.*?)\3""", re.S)
CLASS_LIST = re.compile(r"""classList\.(?:add|remove|toggle)\(\s*(["'])([\w-]+)\1""")


def selectors_of(css: str) -> set[str]:
    """Every class name that a selector in `css` mentions."""
    without_blocks = re.sub(r"\{[^{}]*\}", "{}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", without_blocks))


def classes_used() -> set[str]:
    """Class names in templates, Python code and scripts, with template tags taken out first (the
    words between {% if %} and {% endif %} stay; names built from a variable are in GENERATED)."""
    used = set(GENERATED)
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".html", ".py", ".js") or "migrations" in path.parts:
                continue
            text = TEMPLATE_TAG.sub(" ", path.read_text(encoding="utf-8"))
            for match in CLASS_ATTRIBUTE.finditer(text):
                used.update((match.group(2) or match.group(4) or "").split())
            used.update(match.group(2) for match in CLASS_LIST.finditer(text))
    return used


@pytest.fixture(scope="module")
def bootstrap_whole() -> str:
    return sass.compile(filename=str(ROOT / "assets/bootstrap/scss/bootstrap.scss"), output_style="compressed")


@pytest.fixture(scope="module")
def all_of_bootstrap(bootstrap_whole) -> set[str]:
    return selectors_of(bootstrap_whole)


def test_the_committed_css_is_built_from_the_current_sources():
    assert TARGET.read_text(encoding="utf-8") == build(), "static/css/bootstrap.min.css is out of date: run `make css`"


def test_every_bootstrap_class_in_use_is_built(all_of_bootstrap):
    built = selectors_of(TARGET.read_text(encoding="utf-8"))
    bootstrap_classes_in_use = classes_used() & all_of_bootstrap

    missing = sorted(bootstrap_classes_in_use - built)

    assert missing == [], f"add their component or utility to assets/coachhub.scss and run `make css`: {missing}"
    # The check sees the templates: the layout's own classes are among those found.
    assert {"navbar", "navbar-toggler", "dropdown-menu", "alert", "btn-primary", "d-flex"} <= bootstrap_classes_in_use


def test_the_build_leaves_out_what_no_page_uses(bootstrap_whole):
    css = TARGET.read_text(encoding="utf-8")
    unused = {"modal", "carousel", "tooltip", "popover", "accordion", "toast", "spinner-border"}

    assert unused & selectors_of(css) == set()
    assert len(css) < 0.7 * len(bootstrap_whole)


def test_the_theme_is_the_brand():
    css = TARGET.read_text(encoding="utf-8")

    assert "--bs-primary: #2f5d62;" in css
    assert "--bs-link-color: #2f5d62;" in css


def test_no_page_loads_a_stylesheet_or_script_from_elsewhere():
    base = Path(ROOT / "templates/base.html").read_text(encoding="utf-8")

    assert "{% static 'css/bootstrap.min.css' %}" in base
    assert "bootstrap/js" not in base and "bootstrap/css" not in base
    assert "http://" not in base and "https://" not in base
