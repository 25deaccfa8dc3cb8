"""Re-measure every corpus program: run the reader, compare with Keras, rewrite the statuses.

    python tests/corpus/update_status.py          # rewrite manifest.yaml, print the work plan
    python tests/corpus/update_status.py --check  # print only
    python tests/corpus/update_status.py --check --root /other/checkout  # measure another reader

Prints the programs grouped by the first error each gives, most common first, then the
programs whose `summary` or `lint` output leaks a traceback or an internal object.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = Path(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else HERE.parents[1]
# run as a script, the archcalc imported must be this checkout's, not the installed one
sys.path[:0] = [str(HERE), str(ROOT)]

from compare import MANIFEST, cli_problem, entries, entry_id, first_error  # noqa: E402


def cause(why: str) -> str:
    """The error without its position and quoted names, to group programs by cause."""
    text = re.sub(r"^(cell \d+:)?\d+:\d+: ", "", why)
    text = re.sub(r"\(line \d+\)", "(line …)", text)
    text = re.sub(r"`[^`]*`", "`…`", text)
    return re.sub(r"'[^']*'", "'…'", text)


def main(argv: list[str]) -> int:
    import yaml

    import archcalc

    where = Path(archcalc.__file__).parent
    print(f"reader: {where.relative_to(Path.cwd()) if where.is_relative_to(Path.cwd()) else where}")
    all_entries = entries()
    groups: dict[str, list[str]] = defaultdict(list)
    leaks: list[str] = []
    for entry in all_entries:
        why = first_error(entry)
        entry.pop("why", None)
        entry["status"] = "reads" if why is None else "pending"
        if why is not None:
            entry["why"] = why
            groups[cause(why)].append(f"{entry_id(entry)}  ({why})")
        for key in ("cli", "cli_why"):
            entry.pop(key, None)
        leak = cli_problem(entry)
        if leak is not None:
            entry["cli"], entry["cli_why"] = "leaks", leak
            leaks.append(f"{entry_id(entry)}  ({leak})")
    n_reads = sum(e["status"] == "reads" for e in all_entries)
    print(f"{n_reads} of {len(all_entries)} entries read exactly")
    for reason, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n{len(items)} x {reason}")
        for item in items:
            print(f"    {item}")
    print(f"\n{len(leaks)} x summary or lint shows a traceback or an internal object")
    for item in leaks:
        print(f"    {item}")
    if "--check" not in argv:
        header = MANIFEST.read_text(encoding="utf-8").split("programs:")[0]
        body = yaml.safe_dump({"programs": all_entries}, sort_keys=False, allow_unicode=True, width=100)
        MANIFEST.write_text(header + body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
