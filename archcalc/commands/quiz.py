"""archcalc quiz: exam-style questions with a worked answer key."""

from __future__ import annotations

import click

from archcalc.commands.options import DERIVATION_FORMATS, format_option

TOPICS = ["conv", "pool", "params", "rnn", "receptive-field", "mixed"]


@click.command()
@click.option("--topic", type=click.Choice(TOPICS), default="mixed", show_default=True)
@click.option("--count", type=click.IntRange(1, 200), default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same sheet.")
@format_option(DERIVATION_FORMATS, "text for the terminal, markdown ($$...$$) or latex (an exam sheet).")
@click.option("--answers", is_flag=True, help="Print the answer key with worked solutions.")
@click.option("--standalone", is_flag=True,
              help="A complete document (LaTeX: article + amsmath, compiles with pdflatex).")
def quiz(topic: str, count: int, seed: int, fmt: str, answers: bool, standalone: bool) -> None:
    """Generate questions like the notes' "Example calculations" (every answer is computed
    by the engine and shown worked out)."""
    from archcalc.commands.explain import terminal_width
    from archcalc.explain.quiz import make_quiz, render_sheet

    sheet = render_sheet(make_quiz(topic, count, seed), fmt, answers, standalone=standalone, width=terminal_width())
    click.echo(sheet, nl=False)
