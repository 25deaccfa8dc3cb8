"""archcalc.fileio.write_atomic, and the commands that write files through it
(emit -o, convert -o, diagram -o): umask mode, --force, device files left alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from archcalc.errors import UsageError
from archcalc.fileio import write_atomic

ROOT = Path(__file__).resolve().parent.parent
CNN = str(ROOT / "samples/cnn.yaml")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_file_gets_the_umask_mode_and_no_temporary_is_left(tmp_path, umask_022):
    out = tmp_path / "a.txt"
    write_atomic(out, "héllo\n")
    assert out.read_text(encoding="utf-8") == "héllo\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    os.umask(0o077)
    write_atomic(tmp_path / "b.bin", b"\x00\x01")
    assert stat.S_IMODE((tmp_path / "b.bin").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


def test_existing_file_needs_force(tmp_path):
    out = tmp_path / "a.txt"
    out.write_text("keep")
    with pytest.raises(UsageError, match="already exists"):
        write_atomic(out, "new")
    assert out.read_text() == "keep"
    write_atomic(out, "new", force=True)
    assert out.read_text() == "new"


def test_symlink_is_followed_not_replaced(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new", force=True)
    assert link.is_symlink() and real.read_text() == "new"


@pytest.mark.parametrize("target", ["/dev/full", "/dev/null"])
def test_device_file_is_never_replaced(target):
    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")
    before = os.stat(target)
    for force in (False, True):
        with pytest.raises(UsageError, match="not a regular file"):
            write_atomic(target, "x", force=force)
    after = os.stat(target)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_directory_and_missing_folder_are_refused(tmp_path):
    with pytest.raises(UsageError, match="is a directory"):
        write_atomic(tmp_path, "x", force=True)
    with pytest.raises(UsageError, match="does not exist"):
        write_atomic(tmp_path / "no" / "a.txt", "x")


@pytest.mark.parametrize("command,name", [
    (["emit", CNN], "model.py"),
    (["convert", CNN], "spec.yaml"),
    (["diagram", CNN, "--format", "mermaid"], "graph.mmd"),
])
def test_commands_write_0644_refuse_overwrite_and_devices(run_cli, tmp_path, umask_022, command, name):
    out = tmp_path / name
    result = run_cli(*command, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    first = out.read_bytes()
    out.write_text("keep me")
    result = run_cli(*command, "-o", str(out))
    assert result.exit_code == 2 and "already exists" in result.output and "--force" in result.output
    assert out.read_text() == "keep me"
    result = run_cli(*command, "-o", str(out), "--force")
    assert result.exit_code == 0 and out.read_bytes() == first
    if os.path.exists("/dev/full"):
        result = run_cli(*command, "-o", "/dev/full", "--force")
        assert result.exit_code == 2 and "not a regular file" in result.output, result.output
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
