"""`make weight` runs to the end: it serves the demo data as production does and prints both pages'
responses and totals (what they say is for people; tests/e2e/test_weight.py holds the target)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.weight import CHROMIUM
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.browser
def test_the_weight_benchmark_prints_both_pages(tmp_path):
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-m", "bench.weight"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stdout + result.stderr
    totals = re.findall(r"^  total ([\d,]+) bytes \(.*\): within the target of 80 KB$", result.stdout, re.M)
    assert len(totals) == 2, result.stdout
    # Served as in production: collected under hashed names, compressed.
    assert re.search(r"/static/css/bootstrap\.min\.[0-9a-f]{12}\.css\s+stylesheet\s+gzip ", result.stdout)
    assert re.search(r"^  /dashboard/\s+document\s+gzip ", result.stdout, re.M)
