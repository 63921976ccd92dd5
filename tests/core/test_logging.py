"""Log lines are plain JSON: no uvicorn `color_message`, no terminal escape in any field."""

import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from app.core.observability import configure_logging

ESCAPES = ("\x1b", "\\u001b")  # raw, or as JSON writes it


class Keep(logging.Handler):
    """Keeps the records it is handed, as they are."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _assert_plain(line: str) -> dict[str, Any]:
    assert not any(escape in line for escape in ESCAPES), line
    data: dict[str, Any] = json.loads(line)
    assert "color_message" not in data, line
    assert not any("\x1b" in text for text in _strings(data)), line
    return data


def _serve_one_request(keep: Keep) -> None:
    config = uvicorn.Config(_hello, port=0, log_config=None, lifespan="off", access_log=True)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        assert httpx.get(f"http://127.0.0.1:{port}/hello").text == "hello"
    finally:
        server.should_exit = True
        thread.join(10)


def test_real_uvicorn_records_come_out_without_colour(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")  # as `rebound serve` does, bound to the captured stdout
    keep = Keep()
    root, access = logging.getLogger(), logging.getLogger("uvicorn.access")
    root.addHandler(keep)
    access.addHandler(keep)  # silenced (we log requests ourselves), so kept here to format
    try:
        _serve_one_request(keep)
    finally:
        root.removeHandler(keep)
        access.removeHandler(keep)
    coloured = [r for r in keep.records if "\x1b[" in str(getattr(r, "color_message", ""))]
    assert coloured, "uvicorn sent no color_message: the test no longer tests anything"
    lines = [line for line in capsys.readouterr().out.splitlines() if '"uvicorn' in line]
    logged = [_assert_plain(line) for line in lines]
    assert {r.getMessage() for r in coloured} <= {entry["message"] for entry in logged}
    formatter = root.handlers[0].formatter
    assert formatter is not None
    requests = [r for r in keep.records if r.name == "uvicorn.access"]
    assert requests, "uvicorn logged no request"
    for record in [*requests, *coloured]:
        assert _assert_plain(formatter.format(record))["logger"] == record.name


def test_escapes_are_stripped_from_every_field(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    logging.getLogger("rebound.test").warning(
        "\x1b[31mred\x1b[0m and \x1b]0;title\x07",
        extra={"nested": {"list": ["\x1b[1mbold"], "n": 3}},
    )
    client.get("/v1/%1B%5B2Jcleared", headers={"X-Request-ID": "escape-path"})
    out = capsys.readouterr().out.splitlines()
    warning = _assert_plain(next(line for line in out if "rebound.test" in line))
    assert warning["message"] == "red and ]0;title\x07"
    assert warning["nested"] == {"list": ["bold"], "n": 3}
    request = _assert_plain(next(line for line in out if "escape-path" in line))
    assert request["path"] == "/v1/cleared"
