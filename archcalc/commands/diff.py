"""archcalc diff: what changed between two models, layer by layer, and in the totals.

Either side is any file archcalc reads, or ``REV:path``, a git revision of a file (read with
``git show`` in the current directory, so ``HEAD~1:samples/cnn.yaml`` and ``main:./model.py``
work as git spells them). Layers are paired by name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from archcalc.commands.options import COMPARISON_FORMATS, format_option, model_option, set_option

#: the per-layer fields compared, with their labels
FIELDS = (("output_shape", "shape"), ("params", "params"), ("macs", "MACs"),
          ("activations_bytes", "activations"), ("receptive_field", "RF"))
#: the totals compared
TOTALS = ("total_params", "trainable_params", "macs", "other_ops", "flops", "weights_bytes",
          "activations_bytes", "training_bytes")


@dataclass
class Side:
    """One model as the diff sees it: its label, its layers' fields and its totals."""

    label: str
    layers: dict[str, dict[str, Any]]
    totals: dict[str, Any]
    exceeded: set[str] = field(default_factory=set)
    #: the JSON text of each symbolic value -> the value (printed in the notes' notation)
    symbols: dict[str, Any] = field(default_factory=dict)


def _git_show(spec: str) -> tuple[str, str]:
    """(text, suffix) of ``REV:path`` from git, or a UsageError."""
    import subprocess

    from archcalc.errors import UsageError

    rev, _, path = spec.partition(":")
    try:
        done = subprocess.run(["git", "show", spec], capture_output=True, text=True, check=False)
    except OSError as e:
        raise UsageError(f"{spec}: cannot run git ({e})", hint="install git, or pass two files") from None
    if done.returncode != 0:
        msg = (done.stderr.strip().splitlines() or ["git show failed"])[-1]
        raise UsageError(f"{spec}: {msg}", hint=f"check that revision '{rev}' exists and holds '{path}'")
    return done.stdout, Path(path).suffix


def _is_revision(spec: str) -> bool:
    return not Path(spec).exists() and ":" in spec and not spec.startswith(":")


def read_side(spec: str, sets: tuple[str, ...], model_name: str | None, dtype: str, batch_size: int,
              tmp: Path) -> Side:
    """Load one side (a file or ``REV:path``), analyse it and run the budget check on it."""
    from archcalc.commands.options import load_graph
    from archcalc.engine import analyze
    from archcalc.lint.runner import LintOptions, lint_paths
    from archcalc.render.json_ import to_dict

    path = spec
    if _is_revision(spec):
        text, suffix = _git_show(spec)
        target = tmp / ("rev-" + str(len(list(tmp.iterdir()))) + suffix)
        from archcalc.fileio import write_atomic

        write_atomic(target, text)
        path = str(target)
    analysis = analyze(load_graph(path, sets, model_name))
    from archcalc.render.common import recording

    with recording() as symbols:
        report = to_dict(analysis, dtype, batch_size)
    layers = {}
    for row in report["layers"]:
        layers[row["name"]] = {"type": row["type"], **{k: row.get(k) for k, _ in FIELDS}}
    mem = report["memory"]
    totals = {k: report[k] for k in ("total_params", "trainable_params", "macs", "other_ops", "flops")}
    totals.update({k: mem[k] for k in ("weights_bytes", "activations_bytes", "training_bytes")})
    result = lint_paths([path], LintOptions(select=["AC502"], isolated=True))
    exceeded = {f.message.split()[1] for f in result.findings if f.code == "AC502" and "exceeded" in f.message}
    return Side(spec, layers, totals, exceeded, symbols)


def compare(a: Side, b: Side) -> dict[str, Any]:
    """The diff as JSON-ready data: changed, added and removed layers; totals with deltas."""
    changed: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for name, row in b.layers.items():
        old = a.layers.get(name)
        if old is None:
            added.append({"name": name, **row})
            continue
        fields = {k: {"old": old[k], "new": row[k]} for k, _ in FIELDS if old[k] != row[k]}
        for v in fields.values():
            if isinstance(v["old"], int) and isinstance(v["new"], int):
                v["delta"] = v["new"] - v["old"]
        if fields or old["type"] != row["type"]:
            changed.append({"name": name, "type": row["type"], "changes": fields})
    removed = [{"name": n, **row} for n, row in a.layers.items() if n not in b.layers]
    totals = {}
    for k in TOTALS:
        old, new = a.totals.get(k), b.totals.get(k)
        entry: dict[str, Any] = {"old": old, "new": new}
        if isinstance(old, int) and isinstance(new, int):
            entry["delta"] = new - old
            if old:
                entry["percent"] = round(100 * (new - old) / old, 2)
        totals[k] = entry
    return {"old": a.label, "new": b.label, "changed": changed, "added": added, "removed": removed,
            "totals": totals, "budget_newly_exceeded": sorted(b.exceeded - a.exceeded)}


def _fmt(key: str, v: Any, symbols: dict[str, Any]) -> str:
    """One value of the diff for people; ``symbols`` maps a symbolic value's JSON text back to
    the value (Side.symbols), printed in the notes' notation."""
    from archcalc.render.common import fmt_count, fmt_shape, fmt_si, readable_bytes

    if v is None:
        return "-"
    if isinstance(v, list):
        v = [[symbols.get(d, d) for d in s] if isinstance(s, list) else symbols.get(s, s) for s in v]
    elif isinstance(v, str) and v in symbols:
        return fmt_count(symbols[v])
    if key.endswith("bytes"):
        return readable_bytes(v)
    if key == "output_shape":
        return fmt_shape(tuple(v) if v and not isinstance(v[0], list) else [tuple(s) for s in v])
    if key == "receptive_field":
        return "x".join(str(s) for s in v)
    if key in ("macs", "other_ops", "flops"):
        return fmt_si(v)
    return f"{v:,}" if isinstance(v, int) else str(v)


def _signed(key: str, d: int) -> str:
    text = _fmt(key, abs(d), {})
    return ("+" if d >= 0 else "-") + text


def render_text(d: dict[str, Any], markdown: bool = False, symbols: dict[str, Any] | None = None) -> str:
    """The diff for a terminal, or as GitHub Markdown for a pull-request comment; ``symbols``:
    both sides' Side.symbols, so that symbolic sizes read as the notes write them."""
    known = symbols or {}
    out = _totals_lines(d, markdown, known)
    out.append("")
    rows = [(kind, f"{c['name']} ({c['type']})", what(c, known)) for kind, what in CHANGES for c in d[kind]]
    if not rows:
        out.append("No layer changed.")
    elif markdown:
        out += ["| | Layer | What changed |", "|---|---|---|"]
        out += [f"| {kind} | {name} | {what} |" for kind, name, what in rows]
    else:
        out += _terminal_rows(rows)
    if d["budget_newly_exceeded"]:
        out += ["", "Budget newly exceeded: " + ", ".join(d["budget_newly_exceeded"])]
    if not markdown:  # the title and the totals wrap to COLUMNS too (between their fields)
        out = _wrapped(out)
    return "\n".join(out) + "\n"


def _totals_lines(d: dict[str, Any], markdown: bool, known: dict[str, Any]) -> list[str]:
    """The title and one line (or Markdown table row) per total: old, new and the change."""
    if markdown:
        out = [f"### archcalc diff: `{d['old']}` → `{d['new']}`", "",
               "| Total | Old | New | Change |", "|---|---:|---:|---:|"]
    else:
        out = [f"archcalc diff: {d['old']} -> {d['new']}"]
    for k, t in d["totals"].items():
        change = "" if "delta" not in t else _signed(k, t["delta"]) + (f" ({t['percent']:+.2f}%)" if "percent" in t else "")
        old, new = _fmt(k, t["old"], known), _fmt(k, t["new"], known)
        if markdown:
            out.append(f"| {k} | {old} | {new} | {change or '-'} |")
        else:
            out.append(f"  {k:<18} {old:>14} -> {new:<14} {change}".rstrip())
    return out


def _changed(c: dict[str, Any], known: dict[str, Any]) -> str:
    labels = dict(FIELDS)
    parts = [f"{labels[k]} {_fmt(k, v['old'], known)} -> {_fmt(k, v['new'], known)}" for k, v in c["changes"].items()]
    return "; ".join(parts) or "type changed"


def _added(c: dict[str, Any], known: dict[str, Any]) -> str:
    return (f"shape {_fmt('output_shape', c['output_shape'], known)}; "
            f"params {_fmt('params', c['params'], known)}; MACs {_fmt('macs', c['macs'], known)}")


def _removed(c: dict[str, Any], known: dict[str, Any]) -> str:
    return f"params {_fmt('params', c['params'], known)}; MACs {_fmt('macs', c['macs'], known)}"


#: each kind of change (a key of compare()'s result), in the report's order, and what its row says
CHANGES: tuple[tuple[str, Callable[[dict[str, Any], dict[str, Any]], str]], ...] = (
    ("changed", _changed), ("added", _added), ("removed", _removed))


def _terminal_rows(rows: list[tuple[str, str, str]]) -> list[str]:
    """The layer rows for a terminal: each row's "; "-separated changes packed into lines of
    the terminal's width, a change broken inside only when it alone is too long."""
    import textwrap

    from archcalc.render.common import terminal_width

    width = terminal_width()  # COLUMNS, as every command; 80 in a pipe or a CI log
    out: list[str] = []
    for kind, name, what in rows:
        lines = _packed(f"{kind:<8} {name}:", what.split("; "), width)
        out += [w for ln in lines for w in textwrap.wrap(ln, width, subsequent_indent=" " * 11,
                                                         break_long_words=False, drop_whitespace=True)
                or [ln]]
    return out


def _packed(head: str, items: list[str], width: int) -> list[str]:
    """``head`` and the items, "; "-separated, a new line (indented 8) where the next does not fit."""
    lines = [head]
    for item in items:
        if len(lines[-1]) + 1 + len(item) + 1 > width and lines[-1].strip() and not lines[-1].endswith(":"):
            lines.append(" " * 8)
        lines[-1] += " " + item + ";"
    lines[-1] = lines[-1][:-1]
    return lines


def _wrapped(out: list[str]) -> list[str]:
    """Every line to the terminal's width (continuations indented 4), when one is longer."""
    import textwrap

    from archcalc.render.common import terminal_width

    width = terminal_width()
    if not any(len(ln) > width for ln in out):
        return out
    return [w for ln in out for w in (textwrap.wrap(ln, width, subsequent_indent=" " * 4, break_long_words=False,
                                                    break_on_hyphens=False) or [ln])]


@click.command()
@click.argument("old")
@click.argument("new")
@format_option(COMPARISON_FORMATS, "text for the terminal, json, or markdown for a pull-request comment.")
@click.option("--dtype", type=click.Choice(["float32", "float16", "bfloat16", "mixed"]), default="float32",
              show_default=True, help="Precision for the memory figures.")
@click.option("--batch-size", type=click.IntRange(min=1), default=1, show_default=True,
              help="Samples per batch for the activation and training memory.")
@set_option
@model_option
def diff(old: str, new: str, fmt: str, dtype: str, batch_size: int, sets: tuple[str, ...],
         model_name: str | None) -> None:
    """Show what changed from OLD to NEW: each layer's shape, parameters, MACs, activation
    memory and receptive field, and the totals' deltas.

    OLD and NEW are model files, or REV:path for a file at a git revision (e.g.
    HEAD~1:model.yaml). Exit status 1 when NEW exceeds a `budget:` limit that OLD met.
    """
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        a = read_side(old, sets, model_name, dtype, batch_size, Path(tmp))
        b = read_side(new, sets, model_name, dtype, batch_size, Path(tmp))
    d = compare(a, b)
    if fmt == "json":
        click.echo(json.dumps(d, indent=2))
    else:
        click.echo(render_text(d, markdown=fmt == "markdown", symbols={**a.symbols, **b.symbols}), nl=False)
    if d["budget_newly_exceeded"]:
        raise SystemExit(1)
