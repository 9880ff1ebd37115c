"""What each kind of process imports: commands and domain rules no Flask (they know nothing of HTTP), API
processes no Kafka client (the outbox is how they publish). Checked in a fresh interpreter each."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
COMMANDS = [str(p.relative_to(REPO)).removesuffix(".py").replace("/", ".")
            for p in sorted(REPO.glob("services/*/commands/*.py")) + sorted(REPO.glob("services/*/domain/*.py"))
            if p.name != "__init__.py"]


def modules_after_importing(*modules: str) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_commands_and_domain_rules_import_no_flask():
    loaded = modules_after_importing(*COMMANDS)
    assert len(COMMANDS) > 20
    assert not {m for m in loaded if m.split(".")[0] in ("flask", "flask_smorest", "werkzeug")}


@pytest.mark.parametrize("service", ["agencies", "indicators", "reforms"])
def test_an_api_process_imports_no_kafka_client(service):
    loaded = modules_after_importing("services.wsgi", f"services.{service}.service", "shared.http.app")
    assert "flask" in loaded and not {m for m in loaded if m.split(".")[0] == "kafka"}
