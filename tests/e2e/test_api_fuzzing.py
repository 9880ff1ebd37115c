"""Schemathesis, with all its checks, against each service's real process: every response must be what
the OpenAPI document says (status, content type, schema, headers), no input may cause a 5xx, invalid
input must be refused and valid input accepted. Bounded and seeded, so a run is repeatable. What the
API does on purpose that a check would otherwise flag is declared, with reasons, in tests/schemathesis.toml."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import token_for

CONFIG = Path(__file__).resolve().parents[1] / "schemathesis.toml"
REPO = Path(__file__).resolve().parents[2]
# How the fuzzer writes bodies of the media types it does not know (XLSX uploads).
HOOKS = {"SCHEMATHESIS_HOOKS": "tests.e2e.schemathesis_hooks", "PYTHONPATH": str(REPO)}


@pytest.mark.parametrize("service", ["agencies", "indicators", "reforms"])
def test_schemathesis_finds_nothing(stack, service, tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "st"), "--no-color", "--config-file", str(CONFIG), "run",
         stack.url(service, "/api/v1/openapi.json"), "-H", f"Authorization: Bearer {token_for('admin')}",
         "--checks", "all", "--max-examples", "25", "--seed", "20261129", "--generation-database", "none",
         "--phases", "examples,coverage,fuzzing,stateful", "--request-timeout", "10"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, env={**os.environ, **HOOKS})
    # The failures first (each with its curl to replay it): the warnings after them can be long.
    failures = result.stdout.split("WARNINGS")[0]
    assert result.returncode == 0, failures[-12000:] + result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout.split("SUMMARY")[-1]
