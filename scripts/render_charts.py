"""Render every chart in a headless browser at a phone's size and check that something is drawn.

In-process, on a fresh temporary SQLite database: migrates it, creates a tenant and a key, records
a seeker with some history (applications, rejections) and two goals (weekly, one-off) through the
API, fetches the four charts (both goals, both insight metrics) to SVG files, and has Chromium
screenshot each at 390x844 (`chromium --headless --screenshot`). A PNG passes when it exists and is
not blank: more than one colour, and enough pixels that are not the background.

Usage: `python scripts/render_charts.py [--out DIR] [--chromium PATH]`. Exits 1 when a check fails
(2 when no Chromium is found). The PNGs stay in `--out` (a temporary directory by default).
"""

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WINDOW = (390, 844)
MIN_INK = 0.01  # the share of pixels that must differ from the background
sys.path.insert(0, str(ROOT))

from bench.profile_post import _setup  # noqa: E402  (a fresh, migrated database for the app)


def fetch_charts(out: Path) -> list[Path]:
    """Record a history through the API and write its four charts to `out`; their paths."""
    import warnings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

    from app.core.db import new_session
    from app.main import app
    from app.tenant import service as tenant_service
    from app.tenant.models import Scope

    with new_session(write=True) as db:
        tenant = tenant_service.create_tenant(db, name="charts")
        key = tenant_service.create_key(db, tenant=tenant, name="charts", scopes=[Scope.ALL])
        db.commit()
    today = datetime.now(UTC)

    def ago(days: int) -> datetime:
        return today - timedelta(days=days)

    with TestClient(app, headers={"Authorization": f"Bearer {key.secret}"}) as client:

        def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
            response = client.post(url, json=body)
            assert response.status_code in (200, 201), response.text
            result: dict[str, Any] = response.json()
            return result

        seeker = post("/v1/seekers", {"display_name": "Sam"})["id"]
        stages = ["application_review", "phone_screen", "interview", "final_round"]
        for i in range(24):
            application = post(
                f"/v1/seekers/{seeker}/applications",
                {
                    "company": f"Company {i}",
                    "role": "Analyst",
                    "applied_on": str(ago(3 * i + 2).date()),
                },
            )
            if i % 3:
                rejection = {"company": f"Company {i}", "role": "Analyst"}
                rejection |= {"stage": stages[i % 4], "occurred_at": ago(3 * i).isoformat()}
                post(
                    f"/v1/seekers/{seeker}/rejections",
                    {**rejection, "application_id": application["id"]},
                )
        start = date.fromisoformat(str(ago(60).date()))
        weekly = post(
            f"/v1/seekers/{seeker}/goals",
            {
                "title": "Talk to 3 people a week",
                "kind": "networking",
                "target": 3,
                "start_on": str(start),
            },
        )["id"]
        one_off = post(
            f"/v1/seekers/{seeker}/goals",
            {
                "title": "Finish the dbt course",
                "kind": "learning",
                "target": 8,
                "unit": "modules",
                "period": "none",
                "start_on": str(ago(20).date()),
                "due_on": str((today + timedelta(days=25)).date()),
            },
        )["id"]
        for i in range(0, 60, 4):
            post(
                f"/v1/goals/{weekly}/check-ins",
                {"value": 1 + i % 3, "occurred_at": ago(i).isoformat()},
            )
        for i in (18, 12, 7, 2):
            post(f"/v1/goals/{one_off}/check-ins", {"value": 1, "occurred_at": ago(i).isoformat()})
        insights = f"/v1/seekers/{seeker}/insights/chart.svg?metric="
        urls = {
            "goal_weekly": f"/v1/goals/{weekly}/chart.svg",
            "goal_one_off": f"/v1/goals/{one_off}/chart.svg",
            "rejections_by_week": insights + "rejections_by_week",
            "funnel": insights + "funnel",
        }
        paths = []
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "image/svg+xml"
            path = out / f"{name}.svg"
            path.write_bytes(response.content)
            paths.append(path)
        return paths


def screenshot(chromium: str, svg: Path) -> Path:
    """Chromium's screenshot of `svg` at a phone's window size, next to it."""
    png = svg.with_suffix(".png")
    png.unlink(missing_ok=True)
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    command += [f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}", svg.as_uri()]
    subprocess.run(command, check=False, capture_output=True, timeout=120)  # noqa: S603
    return png


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def pixels(png: Path) -> tuple[int, int, Counter[bytes]]:
    """Width, height and a count of each colour of an 8-bit RGB(A) or grey PNG (stdlib only)."""
    data = png.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{png} is not a PNG")
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{png}: unsupported PNG (depth {depth}, colour type {colour})")
    raw, stride = zlib.decompress(b"".join(chunks)), width * channels
    previous, colours = bytearray(stride), Counter[bytes]()
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        colours.update(bytes(line[x : x + channels]) for x in range(0, stride, channels))
        previous = line
    return width, height, colours


def check(png: Path) -> tuple[bool, str]:
    """Whether the screenshot exists and is not blank, and a line that says so."""
    if not png.exists() or png.stat().st_size == 0:
        return False, f"{png.name}: missing"
    width, height, colours = pixels(png)
    _, count = colours.most_common(1)[0]  # the background
    ink = 1 - count / (width * height)
    ok = len(colours) > 1 and ink >= MIN_INK
    verdict = "ok" if ok else "BLANK"
    return ok, f"{png.name}: {width}x{height}, {len(colours)} colours, {ink:.1%} ink — {verdict}"


def main() -> int:
    """Render, screenshot and check every chart; 0 when all pass."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="where the SVGs and PNGs go")
    parser.add_argument("--chromium", default=shutil.which("chromium"))
    opts = parser.parse_args()
    if not opts.chromium:
        print("no chromium binary found", file=sys.stderr)
        return 2
    out = opts.out or Path(tempfile.mkdtemp(prefix="rebound-charts-"))
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="rebound-charts-db-") as tmp:
        _setup(f"sqlite:///{Path(tmp) / 'charts.db'}")  # as bench/profile_post.py does
        svgs = fetch_charts(out)
    results = [check(screenshot(opts.chromium, svg)) for svg in svgs]
    for _, line in results:
        print(line)
    print(f"files in {out}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
