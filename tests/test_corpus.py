"""The acceptance corpus of issue 11: Keras programs written the way people write them.

Each program under tests/corpus/programs/ (scripts, notebooks, folders with sibling imports;
Keras 1, Keras 2, tf.keras and Keras 3) is read by archcalc, never run, and compared with the
same model built by real Keras 3 in tests/corpus/reference.py (Keras 1/2 spellings translated
there, each translation commented): parameter totals, model outputs, and every Keras layer's
output shape and both counts. tests/corpus/manifest.yaml lists each program, the `--model` pick,
`--set` pins for sizes that come from data the file loads, and its status: `pending` programs
must still fail (strict xfail), so the day the reader learns one the test says to flip it;
likewise `cli: leaks` marks a program whose summary or lint shows a traceback or an internal
object today (`cli_why` says what).
Re-measure every status with ``python tests/corpus/update_status.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

from compare import (  # noqa: E402
    PROGRAMS,
    build_reference,
    cli_problem,
    differences,
    entries,
    entry_id,
    read_program,
    reference_module,
)

ENTRIES = entries()


def _cases():
    for entry in ENTRIES:
        marks = [pytest.mark.keras]
        if entry["status"] == "pending":
            marks.append(pytest.mark.xfail(strict=True, reason=entry["why"]))
        yield pytest.param(entry, id=entry_id(entry), marks=marks)


@pytest.mark.parametrize("entry", list(_cases()))
def test_program_reads_like_keras(entry):
    pytest.importorskip("keras")
    ref = build_reference(entry["reference"])  # outside the read: a broken reference is no xfail
    got = read_program(entry)
    assert differences(ref, got) == []


@pytest.mark.keras
def test_every_reference_builds():
    """Each reference builder runs in real Keras 3 (so a pending program fails on archcalc)."""
    pytest.importorskip("keras")
    module = reference_module()
    names = {e["reference"] for e in ENTRIES}
    assert names <= set(vars(module)), sorted(names - set(vars(module)))
    for name in sorted(names):
        ref = build_reference(name)
        assert ref["total"] > 0 and ref["layers"], name


def test_manifest_and_programs_agree():
    files = {e["file"] for e in ENTRIES}
    for name in files:
        assert (PROGRAMS / name).is_file(), name
    on_disk = {str(p.relative_to(PROGRAMS)) for p in PROGRAMS.rglob("*")
               if p.is_file() and p.suffix in (".py", ".ipynb") and "__pycache__" not in p.parts}
    # a folder program's helper modules are read through the entry's main file
    folders = {Path(f).parts[0] for f in files if len(Path(f).parts) > 1}
    loose = {f for f in on_disk - files if Path(f).parts[0] not in folders}
    assert not loose, f"programs missing from the manifest: {sorted(loose)}"
    for entry in ENTRIES:
        assert entry["status"] in ("reads", "pending"), entry_id(entry)
        assert entry["status"] == "reads" or entry.get("why"), entry_id(entry)
        assert entry.get("styles"), entry_id(entry)
    assert len(files) >= 65


def _cli_cases():
    for entry in ENTRIES:
        marks = []
        if entry.get("cli") == "leaks":
            marks.append(pytest.mark.xfail(strict=True, reason=entry["cli_why"]))
        yield pytest.param(entry, id=entry_id(entry), marks=marks)


@pytest.mark.parametrize("entry", list(_cli_cases()))
def test_reading_never_leaks_internals(entry):
    """summary and lint end in a result or a clean error: no traceback, no internal object."""
    assert cli_problem(entry) is None
