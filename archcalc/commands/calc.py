"""archcalc calc: the notes' formulas as a calculator that shows its work.

    archcalc calc conv I=227 K=11 S=4 P=0        # solves for O
    archcalc calc conv I=32 O=28 S=1 P=0         # which kernel? K = 5
    archcalc calc params lstm units=64 input_dim=10
"""

from __future__ import annotations

import json as _json
from typing import Any

import click


def _print_solution(sol: Any, as_json: bool) -> None:
    if as_json:
        click.echo(_json.dumps(sol.json()))
        return
    _echo_derivations(sol.derivations)
    click.echo("  " + "  ".join(f"{k}={v}" for k, v in sol.json().items()))


@click.group()
def calc() -> None:
    """Solve the notes' formulas: output size, kernel, stride, padding, parameters."""


@calc.command("conv")
@click.argument("values", nargs=-1, metavar="I=.. O=.. K=.. S=.. P=.. [D=..]")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with I, O, K, S, P, D.")
def conv(values: tuple[str, ...], as_json: bool) -> None:
    """Convolution: O = floor((I - K_eff + 2P)/S) + 1, K_eff = D(K - 1) + 1.

    Leave out exactly one of I, O, K, S, P and it is solved for (exact integers only).
    """
    from archcalc.explain.solve import parse_assignments, solve_conv

    _print_solution(solve_conv(parse_assignments(values, set("IOKSPD"))), as_json)


@calc.command("pool")
@click.argument("values", nargs=-1, metavar="I=.. O=.. K=.. [S=..] [P=..]")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with I, O, K, S, P, D.")
def pool(values: tuple[str, ...], as_json: bool) -> None:
    """Pooling: as conv, with K the pool size; S defaults to K and P to 0 (as in Keras)."""
    from archcalc.explain.solve import parse_assignments, solve_conv

    _print_solution(solve_conv(parse_assignments(values, set("IOKSP")), kind="pool"), as_json)


@calc.command("transpose")
@click.argument("values", nargs=-1, metavar="I=.. O=.. K=.. S=.. [D=..]")
@click.option("--padding", type=click.Choice(["valid", "same"]), default="valid", show_default=True)
@click.option("--output-padding", type=int, default=None, help="Keras's output_padding (default: None).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with I, O, K, S, P, D.")
def transpose(values: tuple[str, ...], padding: str, output_padding: int | None, as_json: bool) -> None:
    """Transposed convolution (Keras's rule); leave out one of I, O, K, S."""
    from archcalc.explain.solve import parse_assignments, solve_transpose

    _print_solution(solve_transpose(parse_assignments(values, set("IOKSD")), padding, output_padding), as_json)


@calc.command("params")
@click.argument("layer")
@click.argument("values", nargs=-1, metavar="key=value ...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the counts.")
def params(layer: str, values: tuple[str, ...], as_json: bool) -> None:
    """Parameters of one layer, e.g. `lstm units=64 input_dim=10` or
    `conv2d kernel=5 in_channels=3 filters=8`."""
    from archcalc.explain.calc_params import calc_params

    result = calc_params(layer, values)
    if as_json:
        click.echo(_json.dumps(result.json()))
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
