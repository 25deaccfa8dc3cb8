"""archcalc calc: the notes' formulas as a calculator that shows its work.

    archcalc calc conv I=227 K=11 S=4 P=0        # solves for O
    archcalc calc conv I=32 O=15 K=5 S=2         # which padding? every P Keras accepts
    archcalc calc params lstm units=64 input_dim=10
"""

from __future__ import annotations

import json as _json
from typing import Any

import click

FORMATS = ["text", "json", "markdown", "latex"]


def format_option(f: Any) -> Any:
    """--format text|json|markdown|latex, and the old --json flag (hidden, deprecated)."""
    f = click.option("--json", "as_json", is_flag=True, hidden=True,
                     help="Deprecated: the same as --format json.")(f)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                        help="text for the terminal, json (every solution), markdown ($$...$$) or "
                             "latex (aligned blocks).")(f)


def _fmt(fmt: str, as_json: bool) -> str:
    return "json" if as_json else fmt


def _print_solution(sol: Any, fmt: str) -> None:
    if fmt == "json":
        click.echo(_json.dumps(sol.json()))
    elif fmt == "markdown":
        click.echo(sol.markdown(), nl=False)
    elif fmt == "latex":
        click.echo(sol.latex(), nl=False)
    else:
        from archcalc.commands.explain import terminal_width

        for line in sol.text_lines(terminal_width()):
            click.echo(line)


@click.group()
def calc() -> None:
    """Solve the notes' formulas: output size, kernel, stride, padding, dilation, parameters."""


@calc.command("conv")
@click.argument("values", nargs=-1, metavar="I=.. O=.. K=.. S=.. P=.. [D=..]")
@click.option("--padding", type=click.Choice(["valid", "same"]), default=None,
              help="Keras's padding (also P=same, P=valid); 'valid' takes the notes' P on each side.")
@format_option
def conv(values: tuple[str, ...], padding: str | None, fmt: str, as_json: bool) -> None:
    """Convolution: O = floor((I - K_eff + 2P)/S) + 1, K_eff = D(K - 1) + 1.

    Leave out one of I, O, K, S, P (or write X=?, e.g. D=?) and every integer value that
    gives the output under Keras's floor is found; the notes' exact-fit equation is shown.
    """
    from archcalc.explain.solve import parse_assignments, solve_conv

    _print_solution(solve_conv(parse_assignments(values, set("IOKSPD")), "conv", padding), _fmt(fmt, as_json))


@calc.command("pool")
@click.argument("values", nargs=-1, metavar="I=.. O=.. K=.. [S=..] [P=..]")
@click.option("--padding", type=click.Choice(["valid", "same"]), default=None,
              help="Keras's padding (also P=same, P=valid).")
@format_option
def pool(values: tuple[str, ...], padding: str | None, fmt: str, as_json: bool) -> None:
    """Pooling: as conv, with K the pool size; S defaults to K and P to 0 (as in Keras)."""
    from archcalc.explain.solve import parse_assignments, solve_conv

    _print_solution(solve_conv(parse_assignments(values, set("IOKSP")), "pool", padding), _fmt(fmt, as_json))


@calc.command("transpose")
@click.argument("values", nargs=-1, metavar="I=.. O=.. K=.. S=.. [D=..]")
@click.option("--padding", type=click.Choice(["valid", "same"]), default=None,
              help="Keras's padding (also P=same, P=valid; P=? asks which padding)  [default: valid]")
@click.option("--output-padding", type=int, default=None, help="Keras's output_padding (default: None).")
@format_option
def transpose(values: tuple[str, ...], padding: str | None, output_padding: int | None, fmt: str,
              as_json: bool) -> None:
    """Transposed convolution (Keras's rule); leave out one of I, O, K, S (or D=?, P=?)."""
    from archcalc.explain.solve import parse_assignments, solve_transpose

    sol = solve_transpose(parse_assignments(values, set("IOKSPD")), padding, output_padding)
    _print_solution(sol, _fmt(fmt, as_json))


@calc.command("params")
@click.argument("layer")
@click.argument("values", nargs=-1, metavar="key=value ...")
@format_option
def params(layer: str, values: tuple[str, ...], fmt: str, as_json: bool) -> None:
    """Parameters of one layer, e.g. `lstm units=64 input_dim=10` or
    `conv2d kernel=5 in_channels=3 filters=8`."""
    from archcalc.explain.calc_params import calc_params

    result = calc_params(layer, values)
    fmt = _fmt(fmt, as_json)
    if fmt == "json":
        click.echo(_json.dumps(result.json()))
        return
    if fmt == "markdown":
        head = f"`{result.layer.call_repr()}` on input {result.shape_text()}"
        click.echo("\n\n".join([head, *(d.markdown() for d in result.derivations)]) + "\n", nl=False)
        return
    if fmt == "latex":
        from archcalc.explain.render import derivation_latex, tex_escape

        out = [rf"\texttt{{{tex_escape(result.layer.call_repr())}}} on input {tex_escape(result.shape_text())}", ""]
        for d in result.derivations:
            out += [*derivation_latex(d), ""]
        click.echo("\n".join(out), nl=False)
        return
    click.echo(f"{result.layer.call_repr()} on input {result.shape_text()}")
    _echo_derivations(result.derivations)


def _echo_derivations(derivations: list[Any]) -> None:
    """Each derivation's lines, wrapped to the terminal with hanging indents."""
    from archcalc.commands.explain import terminal_width
    from archcalc.explain.layout import wrap

    width = terminal_width()
    for d in derivations:
        for line in d.text_lines():
            for part in wrap(line, width):
                click.echo(part)
