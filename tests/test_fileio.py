"""archcalc.fileio.write_atomic, and the commands that write files through it
(emit -o, convert -o, diagram -o): umask mode, --force, device files left alone."""

from __future__ import annotations

import contextlib
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


def test_symlink_at_the_destination_is_refused_and_left_alone(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    for force in (False, True):
        with pytest.raises(UsageError, match="symbolic link") as err:
            write_atomic(link, "new", force=force)
        assert "never writes through a link" in (err.value.hint or "")
    assert link.is_symlink() and os.readlink(link) == str(real) and real.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_dangling_symlink_is_refused_and_its_target_not_created(tmp_path):
    link = tmp_path / "out.yaml"
    elsewhere = tmp_path / "elsewhere" / "planted.yaml"
    elsewhere.parent.mkdir()
    link.symlink_to(elsewhere)
    for force in (False, True):
        with pytest.raises(UsageError, match="symbolic link"):
            write_atomic(link, "x", force=force)
    assert not elsewhere.exists() and link.is_symlink()
    assert list(elsewhere.parent.iterdir()) == []


def test_link_to_a_folder_is_refused(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "l").symlink_to(tmp_path / "d")
    with pytest.raises(UsageError, match="symbolic link"):
        write_atomic(tmp_path / "l", "x", force=True)
    assert list((tmp_path / "d").iterdir()) == []


def test_hard_link_is_broken_the_other_name_keeps_the_old_content(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("old")
    b = tmp_path / "b.txt"
    os.link(a, b)
    write_atomic(a, "new", force=True)
    assert a.read_text() == "new" and b.read_text() == "old"
    assert a.stat().st_ino != b.stat().st_ino and b.stat().st_nlink == 1


def test_a_name_that_appears_after_the_check_is_not_overwritten(tmp_path, monkeypatch):
    import archcalc.fileio as fileio

    out = tmp_path / "race.txt"
    real_check = fileio.check_target

    def check_then_plant(path, *, force=False):
        target = real_check(path, force=force)
        out.write_text("planted")  # appears between the check and the write
        return target

    monkeypatch.setattr(fileio, "check_target", check_then_plant)
    with pytest.raises(UsageError, match="already exists"):
        write_atomic(out, "new")
    assert out.read_text() == "planted" and sorted(p.name for p in tmp_path.iterdir()) == ["race.txt"]


def test_a_link_planted_after_the_check_is_replaced_not_followed(tmp_path, monkeypatch):
    import archcalc.fileio as fileio

    out = tmp_path / "out.txt"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    real_check = fileio.check_target

    def check_then_plant(path, *, force=False):
        target = real_check(path, force=force)
        out.symlink_to(victim)
        return target

    monkeypatch.setattr(fileio, "check_target", check_then_plant)
    with pytest.raises(UsageError, match="symbolic link"):
        write_atomic(out, "new", force=True)
    assert victim.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "victim.txt"]


@contextlib.contextmanager
def _unprivileged():
    """Root writes into read-only folders: run the block as `nobody` (the saved uid stays 0, so
    the effective uid comes back); as anyone else, as that user."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


def test_read_only_folder_is_a_clear_error_and_leaves_nothing():
    import shutil
    import tempfile

    top = Path(tempfile.mkdtemp())  # not under pytest's 0700 folder: `nobody` must get through
    try:
        top.chmod(0o755)
        ro = top / "ro"
        ro.mkdir()
        (ro / "old.txt").write_text("old")
        ro.chmod(0o555)
        with _unprivileged():
            with pytest.raises(UsageError, match="Permission denied"):
                write_atomic(ro / "a.txt", "x")
            with pytest.raises(UsageError, match="Permission denied"):
                write_atomic(ro / "old.txt", "x", force=True)
        assert sorted(p.name for p in ro.iterdir()) == ["old.txt"] and (ro / "old.txt").read_text() == "old"
    finally:
        (top / "ro").chmod(0o755)
        shutil.rmtree(top)


def test_write_with_gives_the_writer_a_temporary_path_with_the_suffix(tmp_path, umask_022):
    from archcalc.fileio import write_with

    seen = []

    def produce(p):
        seen.append(p)
        assert p.parent == tmp_path and p.name.endswith(".keras") and p.exists()
        p.write_bytes(b"zip")

    write_with(tmp_path / "m.keras", produce)
    assert (tmp_path / "m.keras").read_bytes() == b"zip" and not seen[0].exists()
    assert stat.S_IMODE((tmp_path / "m.keras").stat().st_mode) == 0o644

    def fails(p):
        p.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError, match="No space left"):
        write_with(tmp_path / "n.keras", fails)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras"]


def test_text_that_utf8_cannot_hold_is_written_escaped(tmp_path):
    write_atomic(tmp_path / "a.txt", "name: \ud800x\n")
    assert (tmp_path / "a.txt").read_bytes() == b"name: \\ud800x\n"


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
    for device in ("/dev/full", "/dev/null"):
        if os.path.exists(device):
            result = run_cli(*command, "-o", device, "--force")
            assert result.exit_code == 2 and "not a regular file" in result.output, result.output
            assert "leave out -o" in result.output
            assert stat.S_ISCHR(os.stat(device).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    result = run_cli(*command, "-o", "-")
    assert result.exit_code == 0 and result.output.encode() == first  # `-o -`: standard output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("command,name", [
    (["emit", CNN], "model.py"),
    (["convert", CNN], "spec.yaml"),
    (["diagram", CNN, "--format", "mermaid"], "graph.mmd"),
])
def test_commands_refuse_a_link_at_the_output_dangling_or_not(run_cli, tmp_path, command, name):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / name
    out.symlink_to(victim)
    result = run_cli(*command, "-o", str(out), "--force")
    assert result.exit_code == 2 and "is a symbolic link" in result.output, result.output
    assert victim.read_text() == "precious"
    out.unlink()
    out.symlink_to(tmp_path / "planted.txt")
    result = run_cli(*command, "-o", str(out))
    assert result.exit_code == 2 and "is a symbolic link" in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name, "victim.txt"]
