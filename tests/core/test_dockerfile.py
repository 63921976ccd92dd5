"""No container engine runs here: prove that what the Dockerfile runs exists in the package."""

import json
import re
import shlex

from typer.testing import CliRunner

from app.cli import ROOT, cli

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instruction(name: str) -> list[str]:
    match = re.search(rf"^{name}\s+(\[.*\])\s*$", DOCKERFILE, re.M)
    assert match, f"no exec-form {name}"
    parts: list[str] = json.loads(match.group(1))
    return parts


def _rebound_commands() -> list[list[str]]:
    cmd = _instruction("CMD")
    script = cmd[-1] if cmd[:2] == ["sh", "-c"] else shlex.join(cmd)
    commands = []
    for part in re.split(r"&&|;", script):
        words = [w for w in shlex.split(part) if w != "exec"]
        if words and words[0] == "rebound":
            commands.append(words[1:])
    return commands


def test_dockerfile_cmd_migrates_then_serves() -> None:
    assert _rebound_commands() == [["db", "upgrade"], ["serve"]]


def test_dockerfile_commands_exist_in_the_cli() -> None:
    runner = CliRunner()
    for args in _rebound_commands():
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)


def test_dockerfile_is_multi_stage_non_root_with_healthcheck() -> None:
    assert len(re.findall(r"^FROM ", DOCKERFILE, re.M)) >= 2
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0")
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])", DOCKERFILE, re.M | re.S)
    assert healthcheck and "/livez" in healthcheck.group(1)


def test_console_script_points_at_the_cli() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'rebound = "app.cli:main"' in pyproject
