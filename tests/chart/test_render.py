"""Every chart, rendered by a headless Chromium at a phone's size, draws something."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ["goal_weekly", "goal_one_off", "rejections_by_week", "funnel"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium binary")
def test_render_charts_script_screenshots_every_chart_not_blank(tmp_path: Path) -> None:
    script = [sys.executable, str(ROOT / "scripts" / "render_charts.py"), "--out", str(tmp_path)]
    done = subprocess.run(script, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in CHARTS:
        assert (tmp_path / f"{name}.svg").stat().st_size > 0
        assert (tmp_path / f"{name}.png").stat().st_size > 0
        assert f"{name}.png: 390x844," in done.stdout
    assert done.stdout.count("— ok") == len(CHARTS), done.stdout
