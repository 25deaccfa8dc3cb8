"""The ``archcalc`` command line: a click group whose commands load lazily.

Each command lives in ``archcalc/commands/<name>.py`` and stays thin: parse options, call
the library, render, return an exit code. Heavy imports (sympy, TensorFlow) happen inside
the commands that need them, so ``archcalc summary`` starts fast.
"""

from __future__ import annotations

from typing import Any

import click

from archcalc.errors import EXIT_INPUT_ERROR, ArchcalcError
from archcalc.lazy import LazyTable

#: command name -> "module:attribute"; a command is imported only when it runs (or for --help)
COMMANDS = LazyTable({
    "summary": "archcalc.commands.summary:summary",
    "layers": "archcalc.commands.layers_cmd:layers",
    "explain": "archcalc.commands.explain:explain",
    "calc": "archcalc.commands.calc:calc",
    "quiz": "archcalc.commands.quiz:quiz",
    "lint": "archcalc.commands.lint:lint",
    "rules": "archcalc.commands.lint:rules",
    "convert": "archcalc.commands.convert:convert",
    "emit": "archcalc.commands.bridge:emit",
    "verify": "archcalc.commands.bridge:verify",
    "train": "archcalc.commands.bridge:train",
    "diagram": "archcalc.commands.diagram:diagram",
    "diff": "archcalc.commands.diff:diff",
    "fit": "archcalc.commands.fit:fit",
})


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._available(name))

    @staticmethod
    def _available(name: str) -> bool:
        return COMMANDS.available(name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if not COMMANDS.available(cmd_name):
            return None
        command: click.Command = COMMANDS.load(cmd_name)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from archcalc.errors import did_you_mean

            hint = did_you_mean(name, self.list_commands(ctx))
            ctx.fail(f"No such command '{name}'." + (f" {hint[0].upper()}{hint[1:]}" if hint else
                                                      " Run `archcalc --help` for the commands."))
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArchcalcError as e:
            click.echo(e.format(), err=True)
            ctx.exit(EXIT_INPUT_ERROR)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="archcalc")
def cli() -> None:
    """archcalc: output shapes, parameters and receptive fields of Keras models,
    computed exactly as Keras does, with the working shown."""


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="archcalc")


#: commands that only read files and print: safe to run without the cyclic garbage collector
#: and to leave without the interpreter's teardown (nothing is left open or pending)
FAST_EXIT = frozenset({"summary", "lint", "rules", "layers", "calc", "diagram", "convert"})


def run() -> None:
    """The ``archcalc`` program. For the commands in FAST_EXIT, the cyclic garbage collector
    is off (a short-lived process: its passes over a growing 20,000-layer graph cost a
    quarter of the run and free nothing) and the process ends with os._exit once the output
    is flushed, skipping the teardown of every imported module."""
    import os
    import sys

    argv = sys.argv[1:]
    if not (argv and argv[0] in FAST_EXIT):
        main(argv)
        return
    import gc

    gc.disable()
    code: Any = 0
    try:
        cli.main(args=argv, prog_name="archcalc")
    except SystemExit as e:
        code = e.code
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (archcalc summary big.yaml | head)
        code = code or 1
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        sys.stderr.flush()
        code = 1
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
