"""archcalc fit: budget questions answered with the working shown.

- A model with fixed input sizes: the largest batch size whose training memory (weights +
  gradients + the compiled optimizer's slots + activations for the batch) fits ``--memory``.
  Training memory is linear in the batch size, so the answer is one division.
- A model with symbolic input sizes (``input: [H, W, 3]``): the largest square input,
  every symbol = s, whose MACs fit ``--macs`` and/or whose training memory at ``--batch-size``
  fits ``--memory``. The engine's cost and memory are formulas in the sizes; ``floor(s/k) <= s/k``
  gives a bound without floors that is solved for s, and the sizes the model builds at
  (explain's conditions) are searched from there, each checked with the exact formula.
"""

from __future__ import annotations

import json
from typing import Any

import click

from archcalc.commands.options import (
    ANSWER_FORMATS,
    format_option,
    load_graph,
    model_option,
    set_option,
)


def largest_batch(mem: Any, limit: int) -> tuple[int, list[str]]:
    """(largest batch size, derivation lines) for training memory <= ``limit`` bytes."""
    from archcalc.render.common import readable_bytes as rb

    fixed = mem.weights + mem.gradients + mem.optimizer_state
    per_sample = mem.activation_values * mem.activation_bytes_per_value
    lines = [
        f"fixed       = weights + gradients + optimizer = {mem.weights:,} + {mem.gradients:,} + "
        f"{mem.optimizer_state:,} = {fixed:,} B",
        f"per sample  = activation values x {mem.activation_bytes_per_value} B = {mem.activation_values:,} x "
        f"{mem.activation_bytes_per_value} = {per_sample:,} B",
        f"training(b) = {fixed:,} + {per_sample:,} b <= {limit:,}",
    ]
    if per_sample == 0 or fixed > limit:
        lines.append(f"the weights, gradients and optimizer slots alone need {rb(fixed)}: no batch fits")
        return 0, lines
    batch = (limit - fixed) // per_sample
    lines.append(f"b <= ({limit:,} - {fixed:,}) / {per_sample:,} = {(limit - fixed) / per_sample:.2f}")
    used = fixed + per_sample * batch
    lines.append(f"largest batch size: {batch:,} (training memory {used:,} B = {rb(used)}; "
                 f"{batch + 1:,} would need {used + per_sample:,} B)")
    return batch, lines


def largest_square(analysis: Any, limits: dict[str, int], batch_size: int, dtype: str) -> tuple[int | None, list[str]]:
    """(largest s with every symbolic input size = s within ``limits``, derivation lines)."""
    import sympy as sp

    from archcalc.explain.printing import to_text
    from archcalc.explain.validity import builds, symbols_of
    from archcalc.memory import estimate

    syms = symbols_of(analysis)
    s = sp.Symbol("s", positive=True, integer=True)
    exprs = {}
    if "macs" in limits:
        exprs["macs"] = sp.sympify(analysis.cost.macs)
    if "memory" in limits:
        exprs["memory"] = sp.sympify(estimate(analysis, dtype, batch_size).training)
    lines = [f"{', '.join(x.name for x in syms)} = s (a square input)"]
    if "memory" in limits:
        lines.append(f"memory = training memory in bytes ({dtype}, batch size {batch_size}): weights + "
                     "gradients + optimizer slots + activations")
    hi_all = None
    for key, expr in exprs.items():
        label = "MACs" if key == "macs" else "memory"
        at_s = expr.xreplace({x: s for x in syms})
        bound = sp.expand(at_s.replace(sp.floor, lambda a: a).replace(sp.ceiling, lambda a: a + 1))
        lines.append(f"{label}({', '.join(x.name for x in syms)}) = {to_text(expr)}")
        lines.append(f"{label}(s) = {to_text(at_s)}")
        real = sp.Symbol("s", positive=True)  # the bound is solved over the reals
        roots = sp.solve(sp.Eq(bound.xreplace({s: real}), limits[key]), real) if bound.free_symbols else []
        if roots:
            lines.append(f"  ⌊x⌋ <= x, so {label}(s) <= {to_text(bound)}, which is {limits[key]:,} at "
                         f"s = {float(max(roots)):.2f} (a size that fits for sure)")
        # the exact formula is nondecreasing in s: double, then bisect, for the first s over the limit
        def over(n: int, e: Any = at_s, lim: int = limits[key]) -> bool:
            return bool(int(e.xreplace({s: n})) > lim)
        n = 1
        while not over(n) and n < 2**20:
            n *= 2
        lo, hi = n // 2, n
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if not over(mid) else (lo, mid)
        lines.append(f"  exact: {label}(s) <= {limits[key]:,} for s <= {lo} ({label}({lo}) = "
                     f"{int(at_s.xreplace({s: lo})):,}; {label}({lo + 1}) = {int(at_s.xreplace({s: lo + 1})):,})")
        hi_all = lo if hi_all is None else min(hi_all, lo)
    best = None
    for n in range(hi_all or 0, 0, -1):
        if builds(analysis.graph, {x: n for x in syms}):
            best = n
            break
        lines.append(f"  s = {n}: the model does not build (see `archcalc explain` for the conditions)")
    if best is None:
        lines.append("no input size fits the budget")
    else:
        figures = "; ".join(f"{'MACs' if k == 'macs' else 'training memory'} {int(e.xreplace({x: best for x in syms})):,}"
                            for k, e in exprs.items())
        lines.append(f"largest square input: s = {best} ({figures})")
    return best, lines


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--memory", "memory", metavar="SIZE", default=None,
              help="Training-memory budget: 8GiB, 512MiB (1024-based), 8GB, 500MB (1000-based), or bytes.")
@click.option("--macs", "macs", metavar="COUNT", default=None,
              help="MACs budget per sample (symbolic input sizes only): 1.5G, 300M.")
@click.option("--dtype", type=click.Choice(["float32", "float16", "bfloat16", "mixed"]), default="float32",
              show_default=True, help="Precision for the memory estimate.")
@click.option("--batch-size", type=click.IntRange(min=1), default=1, show_default=True,
              help="For a square-input question under --memory: the batch size trained.")
@format_option(ANSWER_FORMATS, "text for people, or json (the answer and the derivation's lines).")
@set_option
@model_option
def fit(spec: str, memory: str | None, macs: str | None, dtype: str, batch_size: int, fmt: str,
        sets: tuple[str, ...], model_name: str | None) -> None:
    """Answer a budget question, with the derivation: the largest batch size whose training
    memory fits --memory (fixed input sizes), or the largest square input size under --macs
    and/or --memory (symbolic input sizes, e.g. `input: [H, W, 3]`).

    Exit status 1 when nothing fits.
    """
    from archcalc.cost import parse_count
    from archcalc.engine import analyze
    from archcalc.errors import UsageError
    from archcalc.memory import estimate, parse_bytes
    from archcalc.render.common import readable_bytes as rb

    limits: dict[str, int] = {}
    try:
        if memory is not None:
            limits["memory"] = parse_bytes(memory)
        if macs is not None:
            limits["macs"] = parse_count(macs)
    except ValueError as e:
        raise UsageError(str(e), hint="e.g. --memory 8GiB or --macs 1.5G") from None
    if not limits:
        raise UsageError("fit needs a budget: --memory SIZE and/or --macs COUNT", hint="e.g. --memory 8GiB")
    analysis = analyze(load_graph(spec, sets, model_name))
    symbolic = any(getattr(d, "free_symbols", None) for n in analysis.graph.inputs
                   for d in analysis.graph.nodes[n].shape or ())
    out: dict[str, Any] = {"limits": limits}
    if symbolic:
        best, lines = largest_square(analysis, limits, batch_size, dtype)
        out["largest_square_input"] = best
        head = "largest square input under " + " and ".join(
            f"MACs <= {limits['macs']:,}" if k == "macs" else f"training memory <= {limits[k]:,} B ({rb(limits[k])})"
            for k in limits)
        answer = best
    else:
        if "memory" not in limits:
            raise UsageError("--macs needs symbolic input sizes (the MACs of fixed sizes do not depend on the batch)",
                             hint="write the input as `input: [H, W, 3]`, or ask with --memory")
        mem = estimate(analysis, dtype, 1)
        answer, lines = largest_batch(mem, limits["memory"])
        opt = mem.optimizer
        head = (f"largest batch size for training memory <= {limits['memory']:,} B ({rb(limits['memory'])}), "
                f"{dtype}, optimizer {opt.name or 'none'} ({opt.slots} slots per weight)")
        out["largest_batch_size"] = answer
    out["derivation"] = lines
    if fmt == "json":
        click.echo(json.dumps(out, indent=2))
    else:
        click.echo(head + "\n" + "".join(f"  {line}\n" for line in lines), nl=False)
    if not answer:
        raise SystemExit(1)
