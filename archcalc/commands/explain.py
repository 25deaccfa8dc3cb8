"""archcalc explain: worked derivations of every layer's numbers."""

from __future__ import annotations

import click

from archcalc.commands.options import load_graph, model_option, set_option


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--layer", "layers", multiple=True, metavar="NAME", help="Explain only this layer (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "latex"]), default="text",
              show_default=True, help="text for the terminal, markdown ($$...$$) or latex (aligned blocks).")
@click.option("--smallest-input", is_flag=True,
              help="Only report the smallest input size for which the model builds (symbolic sizes).")
@set_option
@model_option
def explain(spec: str, layers: tuple[str, ...], fmt: str, smallest_input: bool, sets: tuple[str, ...],
            model_name: str | None) -> None:
    """Show each layer's parameter count, output size and receptive field as
    general formula -> numbers -> result, in the course notes' forms.

    Sizes may be symbols (`input: [H, W, 3]`): the formulas stay symbolic and the
    conditions for a valid input are stated.
    """
    from archcalc.engine import analyze
    from archcalc.explain import explain_analysis

    analysis = analyze(load_graph(spec, sets, model_name))
    if smallest_input:
        click.echo(_smallest(analysis))
        return
    click.echo(explain_analysis(analysis, list(layers)).render(fmt), nl=False)


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
