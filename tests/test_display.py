"""The public objects print well: a short repr(), str() as the report, tables for rich and
Jupyter, and never an internal object (`<... object at 0x...>`), on every sample."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from rich.console import Console

import archcalc
from archcalc.cli import cli
from tests.conftest import SAMPLES

MODELS = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".yaml", ".py", ".ipynb", ".json")
                and p.name != "archcalc-layers.yaml")


def rich_text(obj: object) -> str:
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(obj)
    return out.getvalue()


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name)
def test_every_public_object_has_a_short_readable_repr(path: object) -> None:
    graph = archcalc.load(str(path))
    result = archcalc.analyze(graph)
    texts = [repr(graph), repr(result)]
    texts += [repr(r) for r in result.rows] + [repr(n) for n in graph.nodes.values()]
    texts += [repr(n.layer) for n in graph.nodes.values() if n.layer is not None]
    for text in texts:
        assert " object at 0x" not in text and "Unknown(" not in text, text
    assert len(repr(result)) < 200 and len(repr(graph)) < 300
    assert repr(result).startswith(f"<Analysis {result.name!r}: {len(result.rows)} layers, ")


def test_str_is_the_summary_table_and_the_repr_names_the_totals() -> None:
    result = archcalc.analyze(SAMPLES / "cnn.yaml")
    assert repr(result) == ("<Analysis 'notes-cnn': 6 layers, 3,938,570 params (3,938,570 trainable), "
                            "output (None, 10)>")
    cli_text = CliRunner().invoke(cli, ["summary", str(SAMPLES / "cnn.yaml")]).stdout
    assert str(result) + "\n" == cli_text
    conv = result.by_name["conv2d"]
    assert repr(conv) == "<Row 'conv2d' (Conv2D): output (None, 62, 62, 32), 896 params>"
    assert repr(conv.node.layer) == "Conv2D(filters=32, kernel_size=(3, 3), activation='relu')"


def test_rich_and_jupyter_show_tables() -> None:
    result = archcalc.analyze(SAMPLES / "cnn.yaml")
    shown = rich_text(result)
    assert "Model: notes-cnn" in shown and "3,936,384" in shown and "Total params: 3,938,570" in shown
    html = result._repr_html_()
    assert html.count("<tr>") == 1 + len(result.rows) and "<table>" in html and "3,938,570" in html
    assert "<script" not in html


def test_html_escapes_names() -> None:
    graph = archcalc.load_text("name: '<b>x</b>'\ninput: [4]\nlayers:\n  - Dense(2)\n")
    html = archcalc.analyze(graph)._repr_html_()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_lint_and_explain_are_callable_and_print_well() -> None:
    result = archcalc.lint(SAMPLES / "sequential_8_10_1.yaml")
    assert repr(result) == "<LintResult: 1 file, 1 error, 0 warnings, 0 info; exit status 1>"
    assert result.exit_code == 1 and [f.code for f in result.findings] == ["AC101"]
    assert repr(result.findings[0]).startswith("<Finding AC101 [error] at ")
    assert str(result).endswith("1 error in 1 file")
    assert "AC101" in rich_text(result) and "AC101" in result._repr_html_()
    ex = archcalc.explain(SAMPLES / "notes_example_1.yaml")
    assert repr(ex) == "<ModelExplanation notes-example-1: 1 layer, 608 parameters>"
    assert "= 608" in str(ex)
    # the packages stay packages
    from archcalc.explain import explain_analysis
    from archcalc.lint import lint_paths

    assert callable(explain_analysis) and callable(lint_paths)


def test_the_api_docstrings_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples in the docstrings of load/analyze/explain/lint (the API page) are true."""
    import doctest

    import archcalc.explain as explain_pkg
    import archcalc.lint as lint_pkg
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tried = 0
    for func in (archcalc.load, archcalc.analyze, explain_pkg.explain, lint_pkg.lint):
        for test in finder.find(func, globs={"archcalc": archcalc}):
            result = runner.run(test)
            tried += result.attempted
            assert result.failed == 0, func.__name__
    assert tried >= 8
