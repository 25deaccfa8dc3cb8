"""archcalc diagram: the layer graph as Mermaid, DOT, SVG or PNG."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archcalc.commands.options import (
    DIAGRAM_FORMATS,
    format_option,
    load_graph,
    model_option,
    set_option,
    stdin_format_option,
)

_SUFFIXES = {".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png"}


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@format_option(DIAGRAM_FORMATS, "Diagram format [default: from --output's suffix, else mermaid]. "
               "svg and png need Graphviz's `dot` program.", default=None)
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the diagram to this file (atomically; `-` is standard output) instead of standard output.")
@click.option("--activations", is_flag=True, help="Name each layer's activation function in its box.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@set_option
@model_option
@stdin_format_option
def diagram(spec: str, fmt: str | None, output: str | None, activations: bool, force: bool,
            sets: tuple[str, ...], model_name: str | None, stdin_format: str | None) -> None:
    """Draw the layer graph: output shapes on the edges, merges and skip connections marked.

    SPEC is a YAML spec (or any model file archcalc reads). Nested models are drawn as
    clusters holding their layers; frozen layers are grey. Mermaid renders in GitHub
    Markdown; `dot -Tsvg` renders the DOT text.
    """
    from archcalc.engine import analyze
    from archcalc.errors import UsageError
    from archcalc.fileio import STDOUT, check_target, write_atomic
    from archcalc.render.diagram import render

    if output == STDOUT:  # `-o -`: standard output
        output = None
    if output is not None:
        check_target(output, force=force)  # a link or a device is refused before the read
    if fmt is None:
        fmt = _SUFFIXES.get(Path(output).suffix.lower(), "mermaid") if output else "mermaid"
    if fmt == "png" and output is None and sys.stdout.isatty():
        raise UsageError("PNG is binary: give --output FILE.png (or redirect standard output)",
                         hint=f"archcalc diagram {spec} --format png --output model.png")
    data = render(analyze(load_graph(spec, sets, model_name, stdin_format)), fmt, activations)
    if output is not None:
        write_atomic(output, data, force=force)
    elif fmt == "png":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        click.echo(data.decode("utf-8"), nl=False)
