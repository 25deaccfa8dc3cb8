"""archcalc explain: worked derivations of every layer's numbers."""

from __future__ import annotations

import click

from archcalc.commands.options import (
    DERIVATION_FORMATS,
    format_option,
    load_graph,
    model_option,
    set_option,
    stdin_format_option,
)


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--layer", "layers", multiple=True, metavar="NAME", help="Explain only this layer (repeatable).")
@format_option(DERIVATION_FORMATS, "text for the terminal, markdown ($$...$$) or latex (aligned blocks).")
@click.option("--standalone", is_flag=True,
              help="With --format latex or markdown: a complete document (LaTeX: article + amsmath, "
                   "compiles with pdflatex).")
@click.option("--smallest-input", is_flag=True,
              help="Only report the smallest input size for which the model builds (symbolic sizes).")
@click.option("--memory", is_flag=True,
              help="Add the memory estimate written out: weights, gradients, optimizer slots, activations.")
@click.option("--dtype", type=click.Choice(["float32", "float16", "bfloat16", "mixed"]), default="float32",
              show_default=True, help="With --memory: bytes per value.")
@click.option("--batch-size", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --memory: samples whose activations are stored.")
@set_option
@model_option
@stdin_format_option
def explain(spec: str, layers: tuple[str, ...], fmt: str, standalone: bool, smallest_input: bool, memory: bool, dtype: str,
            batch_size: int, sets: tuple[str, ...], model_name: str | None, stdin_format: str | None) -> None:
    """Show each layer's parameter count, output size and receptive field as
    general formula -> numbers -> result, in the course notes' forms.

    Sizes may be symbols (`input: [H, W, 3]`): the formulas stay symbolic and the
    conditions for a valid input are stated.
    """
    from archcalc.engine import analyze
    from archcalc.explain import explain_analysis

    analysis = analyze(load_graph(spec, sets, model_name, stdin_format))
    if smallest_input:
        click.echo(_smallest(analysis))
        return
    text = explain_analysis(analysis, list(layers)).render(fmt, width=terminal_width())
    if memory:
        text += _memory_section(analysis, fmt, dtype, batch_size)
    if standalone and fmt != "text":
        from archcalc.explain.render import latex_document, markdown_document

        text = (latex_document if fmt == "latex" else markdown_document)(text, analysis.name)
    click.echo(text, nl=False)


def terminal_width() -> int:
    """The width derivations wrap to: render.common's rule, 100 when not on a terminal."""
    from archcalc.render.common import terminal_width as width

    return width(default=100, minimum=40)


def _memory_section(analysis: object, fmt: str, dtype: str, batch_size: int) -> str:
    """The training-memory estimate (archcalc.memory) written out term by term."""
    from archcalc.memory import estimate

    est = estimate(analysis, dtype, batch_size)
    title = f"memory ({dtype}, batch size {batch_size})"
    lines = est.formula()
    if fmt == "text":
        return f"\n{title}\n" + "".join(f"  {line}\n" for line in lines)
    rows = []
    for line in lines:
        label, _, rest = line.partition("=")
        terms = [t.strip() for t in rest.split(" = ")]
        tex = [r"\text{" + t.replace(" x ", r"} \times \text{") + "}" for t in terms]
        rows.append(r"\text{" + label.strip() + "} &= " + r" \\ &= ".join(tex))
    block = r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"
    if fmt == "markdown":
        return f"\n### {title.capitalize()}\n\n$${block}$$\n"
    return f"\n\\subsection*{{{title.capitalize()}}}\n\\[ {block} \\]\n"


def _smallest(analysis: object) -> str:
    from archcalc.errors import UsageError
    from archcalc.explain.validity import smallest_input, symbols_of

    symbols = symbols_of(analysis)  # type: ignore[arg-type]
    if not symbols:
        raise UsageError("--smallest-input needs symbolic input sizes, e.g. `input: [H, W, 3]`",
                         hint="write names instead of numbers for the sizes to search")
    graph = analysis.graph  # type: ignore[attr-defined]
    best = smallest_input(graph, symbols)
    if best is None:
        raise UsageError("no input size up to 4096 builds the model",
                         hint="run `archcalc explain` to see the conditions")
    from archcalc.explain.validity import _num

    parts = ", ".join(f"{s.name} = {v}" for s, v in best.items())
    shapes = "; ".join(f"{n}: {tuple(_num(d, best) for d in graph.nodes[n].shape or ())}" for n in graph.inputs)
    return f"smallest input: {parts} ({shapes})"
