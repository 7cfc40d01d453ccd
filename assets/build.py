"""Compile assets/coachhub.scss into static/css/bootstrap.min.css, and gather assets/icons/*.svg into
one sprite, static/icons/sprite.svg: `make css`, or `python -m assets.build`.

The result is committed, so running, testing and deploying CoachHub need no Sass compiler; only
changing the theme does (libsass, from requirements-test.txt). `--check` exits non-zero when the
committed file differs from a fresh build.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "assets" / "coachhub.scss"
TARGET = ROOT / "static" / "css" / "bootstrap.min.css"
HEADER = "/* Built from assets/coachhub.scss by `make css`; edit that file, not this one. */\n"
ICONS = ROOT / "assets" / "icons"
SPRITE = ROOT / "static" / "icons" / "sprite.svg"
SVG_ELEMENT = re.compile(r"<svg\b[^>]*\bviewBox=\"([^\"]+)\"[^>]*>(.*?)</svg>", re.S)


def add_prefixes(css: str) -> str:
    """The one vendor prefix Bootstrap's own build adds that current Safari still needs."""
    return re.sub(r"(?<![-\w])user-select:([^;}]+)", r"-webkit-user-select:\1;user-select:\1", css)


def build(source: Path = SOURCE) -> str:
    import sass

    css = sass.compile(filename=str(source), output_style="compressed")
    return HEADER + add_prefixes(css).strip() + "\n"


def build_sprite(folder: Path = ICONS) -> str:
    """Each icon as a <symbol id="NAME"> of one SVG file: a page draws one with
    <svg><use href="sprite.svg#NAME"></use></svg> ({% icon %} in coachhub/templatetags/ui.py)."""
    symbols = []
    for path in sorted(folder.glob("*.svg")):
        view_box, body = SVG_ELEMENT.search(path.read_text()).groups()
        symbols.append(f'<symbol id="{path.stem}" viewBox="{view_box}">{" ".join(body.split())}</symbol>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        "<!-- Built from assets/icons by `make css` (Bootstrap Icons, MIT licence: assets/icons/LICENSE). -->"
        + "".join(symbols)
        + "</svg>\n"
    )


def _outputs() -> dict[Path, str]:
    return {TARGET: build(), SPRITE: build_sprite()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args(argv)
    stale = 0
    for target, text in _outputs().items():
        current = target.read_text() if target.exists() else ""
        if args.check:
            if text != current:
                print(f"{target.relative_to(ROOT)} is out of date: run `make css`.", file=sys.stderr)
                stale += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        print(f"wrote {target.relative_to(ROOT)}: {len(text.encode()):,} bytes")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
