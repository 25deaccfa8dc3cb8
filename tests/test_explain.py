"""`archcalc explain`: the notes' worked examples, number for number, in every format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archcalc.engine import analyze
from archcalc.explain import explain_analysis
from archcalc.readers.yaml_spec import load, load_text
from tests.conftest import ROOT, SAMPLES

GOLDEN = Path(__file__).parent / "golden" / "explain"
#: `python -m pytest --overwrite` rewrites the golden files from the current output
FORMATS = {"text": "txt", "markdown": "md", "latex": "tex"}

# the notes' "Example calculations" and RNN/LSTM examples: (sample, numbers printed in the notes)
NOTES = {
    "notes_example_1": ["608", "28", "32"],
    "notes_example_2": ["608", "32", "32"],
    "notes_example_3": ["104", "18", "32"],
    "notes_rnn": ["4,800"],
    "notes_lstm": ["19,200"],
}
NOTES_LATEX = {  # the substituted lines exactly as the notes typeset them
    "notes_example_1": [r"\left(5^{2} \times 3 + 1\right) \times 8", r"28 \times 1 + \left(5 - 1\right) - 2 \times 0"],
    "notes_example_2": [r"32 \times 1 + \left(5 - 1\right) - 2 \times 2", r"32 - 5 + 2 \times 2"],
    "notes_example_3": [r"\left(2^{2} \times 3 + 1\right) \times 8", r"18 \times 2 + \left(2 - 2\right) - 2 \times 2",
                        r"32 - 2 + 2 \times 2"],
    "notes_rnn": [r"64 \times \left(10 + 64 + 1\right)"],
    "notes_lstm": [r"4 \times 64 \times \left(10 + 64 + 1\right)"],
}


def explain_sample(name: str, fmt: str) -> str:
    return explain_analysis(analyze(load(SAMPLES / f"{name}.yaml"))).render(fmt)


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", [*NOTES, "lenet5", "unet"])
def test_golden(name, fmt, golden):
    golden.check(GOLDEN / f"{name}.{FORMATS[fmt]}", explain_sample(name, fmt))


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", list(NOTES))
def test_notes_numbers_appear(name, fmt):
    text = explain_sample(name, fmt)
    numbers = NOTES[name] if fmt == "text" else [n.replace(",", "{,}") for n in NOTES[name]]
    for n in numbers:
        assert f"= {n}" in text or f"&= {n} " in text, (name, fmt, n)


@pytest.mark.parametrize("name", list(NOTES_LATEX))
def test_notes_substitutions_verbatim(name):
    text = explain_sample(name, "latex")
    for piece in NOTES_LATEX[name]:
        assert piece in text, piece


def _values(name: str) -> dict[str, list]:
    ex = explain_analysis(analyze(load(SAMPLES / f"{name}.yaml")))
    conv = ex.layers[-1]
    return {"params": [d.value for d in conv.params], "size": [d.value for d in conv.sizes],
            "rf": [d.value for d in conv.rf if d.quantity.startswith("receptive field (")]}


@pytest.mark.parametrize("name, params, size, rf", [
    ("notes_example_1", 608, 28, 32), ("notes_example_2", 608, 32, 32), ("notes_example_3", 104, 18, 32)])
def test_example_calculation_values(name, params, size, rf):
    v = _values(name)
    assert v["params"] == [params] and v["size"] == [size] and v["rf"] == [rf]


def test_padding_is_explained_as_zero_padding():
    text = " ".join(explain_sample("notes_example_3", "text").split())
    assert "ZeroPadding2D(2) layer before this one" in text
    assert "P = 2 (padding)" in text


def test_gru_convention_note_shows_both_counts(analyze_text):
    a = analyze_text("input: [null, 10]\nlayers:\n  - GRU(64)\n")
    (d,) = explain_analysis(a).layers[0].params
    assert d.value == 14_592
    assert "reset_after" in d.notes[0] and "14,400" in d.notes[0] and "14,592" in d.notes[0]


def test_batchnorm_halves(analyze_text):
    a = analyze_text("input: [8, 8, 16]\nlayers:\n  - BatchNormalization()\n")
    ds = explain_analysis(a).layers[0].params
    assert [(d.quantity, d.value) for d in ds] == [("trainable parameters", 32), ("non-trainable parameters", 32)]


def test_bidirectional_doubles(analyze_text):
    a = analyze_text("input: [null, 10]\nlayers:\n  - Bidirectional(LSTM(64))\n")
    (d,) = explain_analysis(a).layers[0].params
    assert d.value == 38_400
    assert "= 2 × (4 × units × (input_dim + units + 1))" in "\n".join(d.text_lines())


def test_uneven_stride_says_what_is_dropped(analyze_text):
    a = analyze_text("input: [32, 32, 3]\nlayers:\n  - Conv2D(4, 3, strides=2)\n")
    (d,) = explain_analysis(a).layers[0].sizes
    assert d.value == 15
    assert any("last 1 input rows" in n for n in d.notes)


def test_same_padding_shows_implied_padding(analyze_text):
    a = analyze_text("input: [32, 32, 3]\nlayers:\n  - Conv2D(4, 3, strides=2, padding='same')\n")
    (d,) = explain_analysis(a).layers[0].sizes
    assert d.value == 16  # ceil(32 / 2)
    # TensorFlow: total (16 - 1) x 2 + 3 - 32 = 1, the odd one after
    assert "pads 0 before and 1 after" in d.notes[0]


def test_layer_option_and_unknown_layer(run_cli):
    r = run_cli("explain", str(SAMPLES / "cnn.yaml"), "--layer", "dense")
    assert r.exit_code == 0 and "dense (Dense)" in r.output and "conv2d (Conv2D)" not in r.output
    assert "(inputs + 1) × units" in r.output
    r = run_cli("explain", str(SAMPLES / "cnn.yaml"), "--layer", "dens")
    assert r.exit_code == 2


def test_symbolic_unet_conditions_and_smallest(run_cli):
    r = run_cli("explain", str(SAMPLES / "unet_symbolic.yaml"))
    assert r.exit_code == 0
    assert "m2: 4 × ⌊H/4⌋ = H" in r.output
    assert "H >= 4 and H divisible by 4" in r.output and "W >= 4 and W divisible by 4" in r.output
    r = run_cli("explain", str(SAMPLES / "unet_symbolic.yaml"), "--smallest-input")
    assert r.output.strip() == "smallest input: H = 4, W = 4 (input: (None, 4, 4, 1))"


def test_smallest_input_matches_the_engine():
    # the answer must build, and one less on either axis must not (the engine decides)
    from archcalc.explain.validity import builds, smallest_input, symbols_of

    a = analyze(load(SAMPLES / "unet_symbolic.yaml"))
    h, w = symbols_of(a)
    best = smallest_input(a.graph, [h, w])
    assert best == {h: 4, w: 4}
    assert builds(a.graph, best)
    for n in range(1, 4):
        assert not builds(a.graph, {h: n, w: 4})
    assert not builds(a.graph, {h: 6, w: 4})  # 6 is not divisible by 4


def test_smallest_input_needs_symbols(run_cli):
    r = run_cli("explain", str(SAMPLES / "cnn.yaml"), "--smallest-input")
    assert r.exit_code == 2


def test_symbolic_summary_shows_formulas(run_cli):
    r = run_cli("summary", str(SAMPLES / "unet_symbolic.yaml"), "--format", "json")
    assert r.exit_code == 0
    assert '"floor(H/4)"' in r.output  # JSON: machine-readable, as documented


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_symbolic_summary_writes_shapes_as_the_notes(run_cli, fmt):
    r = run_cli("summary", str(SAMPLES / "unet_symbolic.yaml"), "--format", fmt, "--columns", "output_shape")
    assert r.exit_code == 0, r.output
    assert "(None, ⌊H/4⌋, ⌊W/4⌋, 128)" in r.output
    assert "(None, 2 × ⌊H/4⌋, 2 × ⌊W/4⌋, 256)" in r.output
    assert "floor(" not in r.output and "2*" not in r.output


def test_symbolic_shapes_agree_with_numbers():
    """Putting numbers in the symbolic shapes gives the engine's numeric shapes."""
    import sympy as sp

    sym = analyze(load(SAMPLES / "unet_symbolic.yaml"))
    num = analyze(load_text((SAMPLES / "unet.yaml").read_text(), "unet.yaml"))
    h, w = sorted({s for d in sym.graph.nodes["input"].shape if hasattr(d, "free_symbols") for s in d.free_symbols},
                  key=str)
    for row in sym.rows:
        got = tuple(d if not hasattr(d, "xreplace") else int(sp.sympify(d).xreplace({h: 128, w: 128}))
                    for d in row.output_shape)
        assert got == num.by_name[row.name].output_shape, row.name


def test_set_overrides_a_param(run_cli):
    r = run_cli("explain", str(SAMPLES / "notes_lstm.yaml"), "--set", "units=32")
    assert "= 5,504" in r.output  # 4 x 32 x (10 + 32 + 1)


class _Formatter:
    """IPython's DisplayFormatter.formatters[mime] API (for_type_by_name, lookup by type)."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str], object] = {}

    def for_type_by_name(self, module: str, name: str, func: object) -> None:
        self.by_name[(module, name)] = func

    def __call__(self, obj: object):
        func = self.by_name.get((type(obj).__module__, type(obj).__name__))
        return func(obj) if callable(func) else None


class _Shell:
    def __init__(self) -> None:
        self.display_formatter = type("DisplayFormatter", (), {"formatters": {"text/markdown": _Formatter()}})()


def test_notebook_reprs():
    import archcalc

    a = analyze(load(SAMPLES / "notes_example_1.yaml"))
    assert archcalc.register_notebook_display() is False  # no IPython running
    shell = _Shell()
    assert archcalc.register_notebook_display(shell) is True
    assert "| conv2d (Conv2D) |" in shell.display_formatter.formatters["text/markdown"](a)
    ex = explain_analysis(a)
    assert ex.layers[0].params[0]._repr_latex_().startswith("$$\\begin{aligned}")
    assert "608" in ex._repr_markdown_() and "608" in ex._repr_latex_()


def test_summary_never_imports_sympy_for_numeric_specs():
    code = ("import sys; from archcalc.cli import main\n"
            "try:\n    main(['summary', sys.argv[1]])\nexcept SystemExit as e:\n    assert not e.code\n"
            "print('sympy' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "notes_example_1.yaml")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False"


def test_lenet_totals_are_the_exam_answer():
    """An exam asks for the total: the sum of the layers' counts (LeNet-5's 61,706, as Keras
    counts it), the split, and the chain of shapes."""
    text = explain_sample("lenet5", "text")
    assert "total parameters = 156 + 2,416 + 48,120 + 10,164 + 850\n                   = 61,706" in text
    assert "non-trainable parameters = 0" in text
    assert "shape chain: 32x32x1 -> 28x28x6 -> 14x14x6 -> 10x10x16 -> 5x5x16 -> 400 -> 120 -> 84 -> 10" in text


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", ["lenet5", "unet", "unet_symbolic", "resnet_stages", "notes_example_2"])
def test_general_forms_in_the_notes_notation(name, fmt):
    text = explain_sample(name, fmt)
    import re

    for internal in ("Max(", "floor(", "ceiling(", "Fraction"):
        assert internal not in text, internal
    assert not re.search(r"(?<![A-Za-z0-9])d_\d", text)  # sympy-style axis names such as d_13


def test_receptive_field_step_general_form():
    text = explain_sample("lenet5", "text")
    assert "receptive field of one unit (height, width) = r_in + (K - 1) × j_in" in text
    assert "= 1 + (5 - 1) × 1" in text and "j = j_in × S = 1 × 2 = 2" in text
    assert "j_in + r_in" not in text and "r_in + 4 × j_in" not in text


def test_padding_and_merge_forms():
    assert "output size (axis 1) = H + 2 × P" in explain_sample("notes_example_2", "text")
    assert "output size (axis 3) = C_1 + C_2" in explain_sample("unet", "text")


def test_text_wraps_to_the_width_with_a_hanging_indent():
    ex = explain_analysis(analyze(load(SAMPLES / "lenet5.yaml")))
    for width in (60, 80):
        lines = ex.render("text", width=width).splitlines()
        assert max(len(line) for line in lines) <= width
        where = [i for i, line in enumerate(lines) if line.startswith("    where ")]
        assert any(lines[i + 1].startswith("          ") for i in where)  # continued under "where "


def test_standalone_documents(run_cli):
    r = run_cli("explain", str(SAMPLES / "lenet5.yaml"), "--format", "latex", "--standalone")
    assert r.output.startswith("\\documentclass") and "\\usepackage{amsmath}" in r.output
    assert r.output.rstrip().endswith("\\end{document}")
    r = run_cli("explain", str(SAMPLES / "lenet5.yaml"), "--format", "markdown", "--standalone")
    assert r.output.startswith("# lenet-5")


def test_layer_number_does_not_reuse_a_symbolic_size_of_the_model():
    """A model size named like a layer argument (``units``, from code where ``units`` is not
    known) and a layer's own ``units=1``: the layer's number gets its own symbol, so putting
    it in leaves the model's size alone (the fuzz case explain_derivation_disagrees.py)."""
    a = analyze(load_text("input: [units]\nlayers:\n  - Dense(1)\n", "m.yaml"))
    (dense,) = explain_analysis(a).layers
    (params,) = dense.params
    assert str(params.value) == "units + 1"
    assert [(s.name, v) for s, v, _ in params.where()] == [("units2", 1)]
    assert "units + 1" in params.text_lines()[-2]


def test_fuzz_case_subclassed_wide_and_deep_explains():
    from tests.fuzz import harness

    path = ROOT / "tests" / "fuzz" / "regressions" / "explain_derivation_disagrees.py"
    assert harness.run("explain", path) is None


def test_explain_modules_import_without_cycles():
    """The explain modules' imports (those inside functions included, ``TYPE_CHECKING``
    blocks left out) form no cycle: model.py renders through render.py, which knows the
    model's classes only for type checking."""
    import ast

    def deps(path: Path) -> set[str]:
        out: set[str] = set()

        class Visitor(ast.NodeVisitor):
            def visit_If(self, node: ast.If) -> None:
                if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                    for n in node.orelse:
                        self.visit(n)
                    return
                self.generic_visit(node)

            def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
                if node.module == "archcalc.explain":
                    out.update(a.name for a in node.names)
                elif node.module and node.module.startswith("archcalc.explain."):
                    out.add(node.module.split(".")[2])

        Visitor().visit(ast.parse(path.read_text()))
        return out

    folder = ROOT / "archcalc" / "explain"
    graph = {p.stem: deps(p) for p in folder.glob("*.py") if p.stem != "__init__"}
    assert "render" in graph["model"] and "model" not in graph["render"]

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = [m for m in graph if reaches(m, m, {m})]
    assert cycles == []


def _refusing_symbols(base_name: str, method: str):
    """A subclass of a registered layer type whose ``method`` refuses symbolic sizes as a
    layer with a numeric-only check would (TypeError: sympy cannot decide a comparison).
    Not registered: its keras_name is set after the class is made."""
    from archcalc.layers import formulas as F
    from archcalc.layers import registry

    base = registry.REGISTRY[base_name]

    def refusing(self, *args):
        shapes = args[0] if method == "output_shape" else args[1]
        if not all(F.is_int(d) for s in shapes for d in s[1:]) or (
                method == "receptive_field" and not all(F.is_int(a.size) for a in args[0][0].axes)):
            raise TypeError("cannot determine truth value of Relational")
        return getattr(base, method)(self, *args)

    cls = type("Picky" + base_name, (base,), {"keras_name": "", method: refusing})
    cls.keras_name = "Picky" + base_name
    return cls


def test_size_that_cannot_be_derived_says_so():
    """A layer whose output_shape() needs numbers: its computed size is still listed, with
    the engine's number and a note, instead of vanishing from the explanation."""
    from archcalc.explain.sizes import generic_size_derivations

    layer = _refusing_symbols("Flatten", "output_shape").bind([], {})
    (d,) = generic_size_derivations(layer, [(None, 4, 4, 3)], (None, 48))
    assert d.quantity == "output size (axis 1)" and d.value == 48
    text = "\n".join(d.text_lines())
    assert "output size (axis 1) = 48" in text
    assert "not derived as a formula: PickyFlatten's output shape needs numbers" in text


def test_receptive_field_step_that_cannot_be_derived_says_so():
    from archcalc.explain.rf import cumulative

    layer = _refusing_symbols("MaxPooling2D", "receptive_field").bind([2], {})
    a = analyze(load_text("input: [8, 8, 3]\nlayers:\n  - MaxPooling2D(2)\n", "m.yaml"))
    src, row = a.rows
    (d,) = cumulative(layer, src.rf, row.input_shapes, row.output_shape, row.rf)
    assert d.quantity == "receptive field of one unit (height, width)" and d.value == 2
    assert "not derived as a formula" in d.notes[0]
