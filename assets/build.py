"""Compile assets/coachhub.scss into static/css/bootstrap.min.css: `make css`, or `python -m assets.build`.

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


def add_prefixes(css: str) -> str:
    """The one vendor prefix Bootstrap's own build adds that current Safari still needs."""
    return re.sub(r"(?<![-\w])user-select:([^;}]+)", r"-webkit-user-select:\1;user-select:\1", css)


def build(source: Path = SOURCE) -> str:
    import sass

    css = sass.compile(filename=str(source), output_style="compressed")
    return HEADER + add_prefixes(css).strip() + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args(argv)
    css = build()
    current = TARGET.read_text() if TARGET.exists() else ""
    if args.check:
        if css != current:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run `make css`.", file=sys.stderr)
            return 1
        print(f"{TARGET.relative_to(ROOT)} is up to date.")
        return 0
    TARGET.write_text(css)
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(css.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
