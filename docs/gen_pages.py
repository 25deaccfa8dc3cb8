"""Write the lint rule reference (docs/rules/) from the rule classes' docstrings.

Run by mkdocs-gen-files during ``mkdocs build`` (see mkdocs.yml): one page per rule, as ruff's
rule pages are (what it does, why it is a bug, how to fix it, a failing and a passing example),
and an index table. The docstrings in ``archcalc/lint/rules/<CODE>.py`` are the only source;
``archcalc rules CODE`` renders the same parts for the terminal.
"""

from __future__ import annotations

from pathlib import Path

import mkdocs_gen_files

from archcalc.lint.rules import all_rules

rules = all_rules()
with mkdocs_gen_files.open("rules/index.md", "w") as index:
    index.write("# Rule reference\n\n")
    index.write("Every check `archcalc lint` runs, generated from the rules' own documentation "
                "(`archcalc rules CODE` shows the same text in the terminal). Select or ignore a rule "
                "by its code, a prefix (`AC1`) or its name ([Lint](../lint.md)).\n\n")
    index.write("| Code | Name | Severity | What it catches |\n|---|---|---|---|\n")
    for rule in rules:
        index.write(f"| [{rule.code}]({rule.code}.md) | `{rule.name}` | {rule.severity.value} | "
                    f"{rule.summary()} |\n")
for rule in rules:
    with mkdocs_gen_files.open(f"rules/{rule.code}.md", "w") as page:
        page.write(f"# {rule.code}: {rule.summary()}\n\n")
        page.write(f"Name: `{rule.name}` · default severity: **{rule.severity.value}** · "
                   f"source: `archcalc/lint/rules/{rule.code}.py`\n\n")
        page.write(rule.sections().markdown())
        page.write(f"\nSuppress it on one line with `# archcalc: noqa: {rule.code}`, or everywhere "
                   f"with `ignore = [\"{rule.code}\"]` under `[tool.archcalc]` in pyproject.toml.\n")

# the changelog lives at the repository root (where packaging tools and people look for it)
with mkdocs_gen_files.open("changelog.md", "w") as page:
    page.write(Path(__file__).resolve().parent.parent.joinpath("CHANGELOG.md").read_text(encoding="utf-8"))
