"""No secret is a published default: each installation makes its own on first start."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from healthcareplus.core import instance_secrets as instance
from healthcareplus.core.instance_secrets import instance_secrets, is_published, new_admin_code

ROOT = Path(__file__).resolve().parents[2]
OLD_SECRET_KEY = "dev-secret-change-me"
OLD_ADMIN_CODE = "HCP-ADMIN-DEV"
CODE = re.compile(r"HCP-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}")


def test_first_use_makes_strong_private_values_and_prints_the_code_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "instance"
    first = instance_secrets(folder)
    printed = capsys.readouterr().err
    assert instance_secrets(folder) == first  # kept, not remade
    assert capsys.readouterr().err == ""  # shown once only

    assert first["admin_code"] in printed and CODE.fullmatch(first["admin_code"])
    assert len(first["secret_key"]) >= 64
    assert stat.S_IMODE(os.stat(folder / "secrets.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert json.loads((folder / "secrets.json").read_text()) == first
    assert list(folder.iterdir()) == [folder / "secrets.json"]  # no temporary left behind


def test_each_installation_gets_its_own_values(tmp_path: Path) -> None:
    one, two = instance_secrets(tmp_path / "a"), instance_secrets(tmp_path / "b")
    assert one["secret_key"] != two["secret_key"] and one["admin_code"] != two["admin_code"]
    assert len({new_admin_code() for _ in range(50)}) == 50


def test_processes_starting_together_agree_on_one_set_of_values(tmp_path: Path) -> None:
    folder, barrier, seen = tmp_path / "instance", threading.Barrier(8), []

    def start() -> None:
        barrier.wait()
        seen.append(instance_secrets(folder))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(values == seen[0] for values in seen)


def test_a_loosened_file_is_made_private_again(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    instance_secrets(folder)
    os.chmod(folder / "secrets.json", 0o644)
    instance_secrets(folder)
    assert stat.S_IMODE(os.stat(folder / "secrets.json").st_mode) == 0o600


def test_a_foreign_file_is_refused_not_trusted(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "secrets.json").write_text('{"secret_key": 5}')
    with pytest.raises(ValueError, match="not a secrets file"):
        instance_secrets(folder)


@pytest.mark.parametrize("value", [OLD_SECRET_KEY, OLD_ADMIN_CODE, " hcp-admin-dev "])
def test_the_once_published_values_are_recognised(value: str) -> None:
    assert is_published(value)
    assert instance.PUBLISHED  # fingerprints only: the values are not in the app's code


def test_fresh_values_are_not_published(tmp_path: Path) -> None:
    values = instance_secrets(tmp_path / "instance")
    assert not any(is_published(v) for v in values.values())


# --- a fresh start, as `make run` does it -----------------------------------------------------


def _run(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``python <args>`` in the project with no HCP_/REFLEX_ settings but a fresh database
    and instance folder (what a new clone has)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HCP_", "REFLEX_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["REFLEX_DB_URL"] = f"sqlite:///{tmp_path / 'fresh.db'}"
    env["HCP_INSTANCE_DIR"] = str(tmp_path / "instance")
    env.update(extra)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


REGISTER = """
import sys
from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.domain.accounts.profiles import register_admin
form = dict(name="Asha Rao", email=sys.argv[2], phone="+91 98450 12345",
            password="Correct#Horse9", confirm_password="Correct#Horse9")
try:
    with session_scope() as db:
        register_admin(db, admin_code=sys.argv[1], **form)
    print("registered")
except ValidationFailed as refused:
    print("refused", sorted(refused.fields))
"""


def test_a_fresh_start_does_not_accept_the_old_published_values(tmp_path: Path) -> None:
    migrated = _run(tmp_path, "-m", "healthcareplus", "migrate")
    assert migrated.returncode == 0, migrated.stderr
    code = CODE.search(migrated.stderr)
    assert code, migrated.stderr  # the new admin code is shown on the first start

    started = _run(tmp_path, "-c", "import healthcareplus.healthcareplus")
    assert started.returncode == 0, started.stderr
    assert not CODE.search(started.stderr)  # and only then

    old = _run(tmp_path, "-c", REGISTER, OLD_ADMIN_CODE, "old@example.com")
    assert old.stdout.strip() == "refused ['admin_code']", old.stderr
    new = _run(tmp_path, "-c", REGISTER, code.group(0), "new@example.com")
    assert new.stdout.strip() == "registered", new.stderr

    keys = _run(
        tmp_path, "-c", "from healthcareplus.core.config import get_settings as s; print(s())"
    )
    assert OLD_SECRET_KEY not in keys.stdout and OLD_ADMIN_CODE not in keys.stdout


@pytest.mark.parametrize(
    "extra",
    [{"HCP_ADMIN_CODE": OLD_ADMIN_CODE}, {"HCP_SECRET_KEY": OLD_SECRET_KEY}],
    ids=["old-admin-code", "old-secret-key"],
)
def test_the_app_refuses_to_start_with_a_published_value(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    result = _run(tmp_path, "-c", "import healthcareplus.healthcareplus", **extra)
    assert result.returncode != 0
    assert "has been published" in result.stderr
