"""What the page asks for, as plain functions over text (no HTTP here: ``app.py`` is the thin
layer around them, and the tests call both).

Every function reads with the CLI's own readers (``archcalc.readers.load_text``, the same
size caps and limits), computes with the engine and formats with the CLI's renderers, so a
number on the page is the number ``archcalc summary`` prints. Nothing here touches the file
system except :func:`read_upload` for a ``.keras`` archive (a private temporary folder that
is removed at once), and nothing from the input is run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archcalc.errors import ArchcalcError, Location, SpecError, UsageError

#: the name the editor's text has in messages (a name in angle brackets: the Python reader
#: then never looks for sibling modules beside it)
EDITOR = "<editor>"

#: the formats the editor holds (``auto`` sniffs, as ``--stdin-format`` does)
EDITOR_FORMATS = ("auto", "yaml", "py", "json")

#: the largest upload (a .keras archive carries its weights; only config.json is read)
MAX_UPLOAD_BYTES = 64 * 1024 * 1024

#: the most pins (``--set``) one request may give
MAX_PINS = 64

#: the menu: id -> (file in the bundled samples, title); the files are found where
#: ``archcalc samples`` finds them (archcalc.bundled: the checkout's samples/ or the installed ones)
SAMPLES: dict[str, tuple[str, str]] = {
    "ann_64_64_10": ("ann_64_64_10.yaml", "ANN: 64 inputs, Dense 64, Dense 10"),
    "sequential_8_10_1": ("sequential_8_10_1.yaml", "Sequential 8-10-1 (the notes' first Sequential)"),
    "notes_example_1": ("notes_example_1.yaml", "Example calculation 1: K=5, S=1, P=0"),
    "notes_example_2": ("notes_example_2.yaml", "Example calculation 2: K=5, S=1, P=2"),
    "notes_example_3": ("notes_example_3.yaml", "Example calculation 3: K=2, S=2, P=2"),
    "cnn": ("cnn.yaml", "CNN: 64x64x3 image, 10 classes"),
    "cnn_py": ("cnn.py", "CNN as Keras Python code"),
    "lenet5": ("lenet5.yaml", "LeNet-5"),
    "notes_rnn": ("notes_rnn.yaml", "RNN: 64 units, 10 features"),
    "notes_lstm": ("notes_lstm.yaml", "LSTM: 64 units, 10 features"),
    "gru": ("gru.yaml", "GRU: 64 units (Keras and the notes differ)"),
    "bidirectional_lstm": ("bidirectional_lstm.yaml", "Bidirectional LSTM"),
    "sentiment": ("sentiment.yaml", "Sentiment analysis: Embedding + LSTM"),
    "autoencoder": ("autoencoder.yaml", "Autoencoder"),
    "resnet_blocks": ("resnet_blocks.yaml", "ResNet blocks with skip connections"),
    "unet": ("unet.yaml", "U-Net"),
    "unet_py": ("unet.py", "U-Net as Keras Python code"),
    "unet_symbolic": ("unet_symbolic.yaml", "U-Net with symbolic sizes H, W"),
}

_FORMAT_OF_SUFFIX = {".yaml": "yaml", ".yml": "yaml", ".py": "py", ".json": "json"}

#: the upload suffixes the page takes
UPLOAD_SUFFIXES = (".yaml", ".yml", ".py", ".ipynb", ".json", ".keras")


def error_json(e: ArchcalcError) -> dict[str, Any]:
    """An error as the page shows it: the CLI's text (``path:line:col: error: ...`` and the
    hint) and the place to highlight in the editor."""
    loc = e.loc
    return {
        "message": e.message,
        "hint": e.hint,
        "layer": e.layer,
        "line": loc.line if loc and loc.path == EDITOR else 0,
        "column": (loc.column or 1) if loc and loc.path == EDITOR and loc.line else 0,
        "text": e.format(),
    }


# -- samples ----------------------------------------------------------------------------------

def sample_list() -> list[dict[str, str]]:
    return [{"id": key, "title": title, "format": _FORMAT_OF_SUFFIX[Path(name).suffix]}
            for key, (name, title) in SAMPLES.items()]


def sample_text(sample_id: str) -> dict[str, str]:
    """One menu model's text; ids are looked up in :data:`SAMPLES`, never used as paths."""
    if sample_id not in SAMPLES:
        from archcalc.errors import did_you_mean

        raise UsageError(f"no sample '{sample_id[:80]}'", hint=did_you_mean(sample_id, SAMPLES) or
                         "samples: " + ", ".join(SAMPLES))
    from archcalc.bundled import samples_dir

    name, title = SAMPLES[sample_id]
    folder = samples_dir()
    if folder is None or not (folder / name).is_file():
        raise UsageError("the samples are not installed with this archcalc",
                         hint="reinstall archcalc (pip install --force-reinstall 'archcalc[web]'), or open a file")
    text = (folder / name).read_text(encoding="utf-8")
    return {"id": sample_id, "title": title, "format": _FORMAT_OF_SUFFIX[Path(name).suffix], "text": text}


# -- uploads -------------------------------------------------------------------------------------

def read_upload(filename: str, data: bytes) -> dict[str, Any]:
    """An uploaded file as editor text: YAML, Python and JSON as they are; a notebook's code
    cells joined (as the notebook reader joins them); a ``.keras`` archive's model config
    (``config.json``, read as the CLI reads it) as JSON."""
    from archcalc.readers.builder import decode_text

    name = Path(filename.replace("\\", "/")).name or "upload"
    suffix = Path(name).suffix.lower()
    where = Location(name)
    if suffix not in UPLOAD_SUFFIXES:
        raise SpecError(f"unsupported file type '{suffix or name}'", loc=where,
                        hint="the page reads " + ", ".join(UPLOAD_SUFFIXES) + " files")
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpecError(f"the file is too large (the limit is {MAX_UPLOAD_BYTES} bytes)", loc=where)
    if suffix == ".keras":
        return {"name": name, "format": "json", "text": _keras_config_text(name, data),
                "note": f"the model config (config.json) of {name}; the weights are not read"}
    from archcalc.readers import max_bytes

    fmt = "ipynb" if suffix == ".ipynb" else _FORMAT_OF_SUFFIX[suffix]
    if len(data) > max_bytes(fmt):
        raise SpecError(f"the file is too large (the limit is {max_bytes(fmt)} bytes)", loc=where)
    text = decode_text(data, where)
    if fmt == "ipynb":
        from archcalc.readers import notebook

        code = notebook.read_code(text, name)
        return {"name": name, "format": "py", "text": code.text,
                "note": f"the code cells of {name}, joined as the notebook reader joins them"}
    return {"name": name, "format": fmt, "text": text, "note": None}


def _keras_config_text(name: str, data: bytes) -> str:
    """config.json of a .keras archive, read by the CLI's archive reader from a private
    temporary copy (removed at once); messages name the uploaded file, not the copy."""
    import tempfile

    from archcalc.readers.keras_files import read_archive_config

    with tempfile.TemporaryDirectory(prefix="archcalc-upload-") as tmp:
        path = Path(tmp) / "upload.keras"
        path.write_bytes(data)
        try:
            root, _meta = read_archive_config(str(path))
        except ArchcalcError as e:
            e.message = e.message.replace(str(path), name)
            e.loc = Location(name)
            raise
    return json.dumps(root, indent=1)


# -- reading the editor's text ----------------------------------------------------------------------

@dataclass
class Model:
    """The editor's model: the format it was read as, its graph and its analysis."""

    fmt: str
    graph: Any
    analysis: Any


def check_format(fmt: str) -> str:
    if fmt not in EDITOR_FORMATS:
        raise UsageError(f"unknown format '{fmt[:40]}'", hint="formats: " + ", ".join(EDITOR_FORMATS))
    return fmt


def parse_pins(pins: Any) -> dict[str, int]:
    """The page's pins ({name: value}) as ``--set`` values: positive integers only."""
    from archcalc.limits import MAX_INT

    if pins is None:
        return {}
    if not isinstance(pins, dict):
        raise UsageError("pins must map names to numbers")
    if len(pins) > MAX_PINS:
        raise UsageError(f"too many pins ({len(pins)}; the limit is {MAX_PINS})")
    out: dict[str, int] = {}
    for name, raw in pins.items():
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise UsageError("a pin needs a name")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # an empty field: not pinned
        try:
            value = int(str(raw).strip()) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value is None or not 1 <= value <= MAX_INT:
            raise UsageError(f"{name[:80]} = {str(raw)[:40]}: a size must be a whole number >= 1",
                             hint=f"e.g. {name[:80]} = 64")
        out[name] = value
    return out


def read_model(text: str, fmt: str = "auto", pins: dict[str, int] | None = None,
               model_name: str | None = None) -> Model:
    """Read the editor's text as the CLI reads standard input (``archcalc summary -``) and
    analyse it. Pins are ``--set`` values; in a YAML spec a pin that names an input size
    rather than a ``params:`` entry (``input: [H, W, 1]``) puts the number in the input shape,
    as ``explain --smallest-input`` does."""
    from archcalc.engine import analyze
    from archcalc.readers import load_text, sniff

    if not isinstance(text, str):
        raise UsageError("the model text must be a string")
    check_format(fmt)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        col = e.start - (text.rfind("\n", 0, e.start) + 1) + 1
        raise SpecError("the text holds a character that is not valid Unicode (a lone surrogate)",
                        loc=Location(EDITOR, line, col)) from None
    if not text.strip():
        raise SpecError("the editor is empty", loc=Location(EDITOR),
                        hint="write a YAML spec or Keras code, pick a model from the menu, or upload a file")
    fmt = sniff(text) if fmt == "auto" else fmt
    pins = dict(pins or {})
    options = {"model_name": model_name} if model_name and fmt == "py" else {}
    if fmt == "yaml" and pins:
        declared = set(load_text(text, fmt, EDITOR).extras.get("params") or {})
        overrides = {k: v for k, v in pins.items() if k in declared}
        graph = load_text(text, fmt, EDITOR, overrides or None)
        rest = {k: v for k, v in pins.items() if k not in declared}
        if rest:
            graph = _pin_inputs(graph, rest)
    else:
        graph = load_text(text, fmt, EDITOR, pins or None, **options)
    return Model(fmt, graph, analyze(graph))


def _pin_inputs(graph: Any, pins: dict[str, int]) -> Any:
    from archcalc.explain.validity import substitute

    symbols = {s.name: s for name in graph.inputs for d in graph.nodes[name].shape or ()
               for s in getattr(d, "free_symbols", ())}
    unknown = [k for k in pins if k not in symbols]
    if unknown:
        raise UsageError(f"the spec has no parameter or input size '{unknown[0][:80]}'",
                         hint="sizes: " + ", ".join(symbols) if symbols else "the input shape holds no names")
    return substitute(graph, {symbols[k]: v for k, v in pins.items()})


def symbols(analysis: Any) -> list[str]:
    """The named unknown sizes anywhere in the model (input sizes, sizes the code leaves
    open): the names ``--set`` pins."""
    found: dict[str, None] = {}

    def add(v: Any) -> None:
        for s in sorted(getattr(v, "free_symbols", ()) or (), key=lambda s: s.name):
            found.setdefault(s.name)

    for row in analysis.rows:
        for shape in [*row.input_shapes, *row.output_shapes()]:
            for d in shape or ():
                add(d)
        add(row.params)
    return list(found)


# -- the summary ---------------------------------------------------------------------------------

def summary(model: Model) -> dict[str, Any]:
    """The table (the CLI's cells, one per column), the per-layer numbers for the chart and
    the receptive-field picture, the totals footer as the CLI prints it, and the notes."""
    from archcalc.render.common import (
        COLUMNS,
        Context,
        display_lines,
        fmt_count,
        fmt_shape,
        needs_connections,
    )
    from archcalc.render.json_ import to_dict
    from archcalc.render.table import footer

    analysis = model.analysis
    report = to_dict(analysis)
    by_name = {r["name"]: r for r in report["layers"]}
    ctx = Context(analysis.cost)
    rows = []
    for line in display_lines(analysis):
        row = line.row
        raw = by_name.get(row.name, {})
        rows.append({
            "name": row.name,
            "type": row.type,
            "inputs": list(row.inputs),
            "output_shape": COLUMNS["output_shape"].cell(line, ctx),
            "params": COLUMNS["params"].cell(line, ctx),
            "trainable": fmt_count(row.trainable_params),
            "non_trainable": fmt_count(row.non_trainable_params),
            "macs": COLUMNS["macs"].cell(line, ctx),
            "memory": COLUMNS["memory"].cell(line, ctx),
            "rf": COLUMNS["rf"].cell(line, ctx),
            "connected_to": COLUMNS["connected_to"].cell(line, ctx),
            "line": raw.get("line", 0),
            "explainable": row.node.layer is not None,
            # numbers for the pictures (None where a size is symbolic)
            "params_value": _number(raw.get("params")),
            "activations_value": _number(raw.get("activations_bytes")),
            "rf_picture": _rf_picture(analysis, row, raw),
        })
    return {
        "name": analysis.name,
        "format": model.fmt,
        "rows": rows,
        "inputs": [fmt_shape(analysis.by_name[n].output_shape) for n in analysis.graph.inputs
                   if n in analysis.by_name],
        "footer": footer(analysis).splitlines(),
        # the CLI's table has a Connected to column when the graph is not a plain stack
        "connections": needs_connections(analysis),
        "symbols": symbols(analysis),
        "params": {k: _plain(v) for k, v in (model.graph.extras.get("params") or {}).items()},
        # Python code building several models: their names (--model) and the one read
        "models": [str(m) for m in model.graph.extras.get("models") or []],
        "variable": model.graph.extras.get("variable"),
        "total_params": fmt_count(analysis.total_params),
    }


def _number(v: Any) -> int | float | None:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _plain(v: Any) -> Any:
    return v if isinstance(v, (int, float, str, bool)) or v is None else str(v)


def _rf_picture(analysis: Any, row: Any, raw: dict[str, Any]) -> dict[str, Any] | None:
    """What the receptive-field picture needs: the model input's spatial size and, per axis,
    the receptive field, the jump and the centre of the first unit's field (the engine's
    numbers, as the JSON report gives them). None when the layer has no receptive field or
    a size is symbolic."""
    rf, jump, start = raw.get("receptive_field"), raw.get("receptive_field_jump"), raw.get("receptive_field_start")
    if not rf or not jump or not start or len(analysis.graph.inputs) != 1:
        return None
    source = analysis.by_name.get(analysis.graph.inputs[0])
    out = row.output_shape
    if source is None or isinstance(out, list) or isinstance(source.output_shape, list):
        return None
    axes = len(rf)
    in_sizes = list(source.output_shape[1:1 + axes])
    out_sizes = list(out[1:1 + axes])
    values = [*rf, *jump, *start, *in_sizes, *out_sizes]
    if len(in_sizes) != axes or len(out_sizes) != axes or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    return {"rf": rf, "jump": jump, "start": start, "input": in_sizes, "output": out_sizes,
            "aligned": raw.get("receptive_field_aligned", True)}


# -- lint ----------------------------------------------------------------------------------------------

def lint(text: str, fmt: str, graph: Any) -> list[dict[str, Any]]:
    """The linter's findings on the editor's text (default settings, as ``lint --isolated``),
    with the graph already read (the linter's loader returns it rather than reading again).

    The editor's text is one source for the linter (``Linter.lint_source``), so every step
    (refusals, rules, ``# archcalc: noqa`` suppressions) is the CLI's."""
    from archcalc.lint.config import load_config
    from archcalc.lint.runner import Linter, LintOptions, LintResult, Source
    from archcalc.readers import TEXT_FORMATS

    result = LintResult()
    source = Source(EDITOR, TEXT_FORMATS[fmt], text, lambda: graph)
    Linter(load_config(None), LintOptions(isolated=True)).lint_source(source, result)
    out = [{"line": f.line, "column": f.column, "code": f.code, "severity": f.severity.value,
            "message": f.message, "hint": f.hint, "layer": f.layer} for f in result.findings]
    out += [{**error_json(e), "code": e.code, "severity": "error"} for e in result.input_errors]
    return out


# -- explain -------------------------------------------------------------------------------------------

def explain_layer(model: Model, layer: str) -> dict[str, Any]:
    """One layer's worked derivations (``archcalc explain --layer``), each as MathML (from
    the LaTeX explain writes), its plain-text lines, the legend and the notes."""
    from archcalc.explain import explain_analysis

    if not isinstance(layer, str):
        raise UsageError("no layer was named")
    ex = explain_analysis(model.analysis, [layer]).layers[0]
    return {"name": ex.name, "type": ex.type, "heading": ex.heading, "call": ex.call,
            "derivations": [derivation_json(d) for d in ex.derivations]}


def derivation_json(d: Any) -> dict[str, Any]:
    """A derivation for the page: the aligned block as MathML, the legend ("where ...") as
    one MathML item per letter with its meaning, the notes, and the CLI's text lines."""
    from archcalc.explain.printing import latex_name, latex_value
    from archcalc.web.mathml import latex_to_mathml

    return {
        "quantity": d.quantity,
        "mathml": latex_to_mathml(d.latex()),
        "where": [{"mathml": latex_to_mathml(f"{latex_name(s)} = {latex_value(v)}", inline=True),
                   "meaning": meaning} for s, v, meaning in d.where()],
        "text": d.text_lines(),
        "notes": list(d.notes),
    }


# -- take it away ------------------------------------------------------------------------------

#: export kind -> (file suffix, media type)
EXPORTS: dict[str, tuple[str, str]] = {
    "sheet-latex": (".tex", "application/x-tex"),
    "sheet-markdown": (".md", "text/markdown"),
    "keras": (".py", "text/x-python"),
    "json": (".json", "application/json"),
}


def export(model: Model, kind: str) -> tuple[str, str, str]:
    """(file name, media type, text) of a download: the exam sheet (``explain --format
    latex|markdown --standalone``), the Keras code (``emit``) or the JSON report (``summary
    --format json``)."""
    if kind not in EXPORTS:
        raise UsageError(f"unknown download '{kind[:40]}'", hint="downloads: " + ", ".join(EXPORTS))
    suffix, media = EXPORTS[kind]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(model.analysis.name or "model"))[:60] or "model"
    if kind.startswith("sheet-"):
        from archcalc.explain import explain_analysis
        from archcalc.explain.render import latex_document, markdown_document

        fmt = kind.removeprefix("sheet-")
        body = explain_analysis(model.analysis).render(fmt, width=100)
        text = (latex_document if fmt == "latex" else markdown_document)(body, model.analysis.name)
        return f"{stem}-sheet{suffix}", media, text
    if kind == "keras":
        from archcalc.keras_bridge.codegen import generate

        return f"{stem}{suffix}", media, generate(model.graph, "auto")
    from archcalc.render import get

    return f"{stem}{suffix}", media, get("json")(model.analysis) + "\n"


# -- practise: calc and quiz ------------------------------------------------------------------

#: calc kind -> the letters it takes (archcalc calc conv / pool / transpose)
CALC_LETTERS = {"conv": "IOKSPD", "pool": "IOKSP", "transpose": "IOKSPD"}


def calc(kind: str, values: dict[str, Any], padding: str = "valid",
         output_padding: int | None = None) -> dict[str, Any]:
    """``archcalc calc conv|pool|transpose`` on the page's fields: the values are handed to the
    calc command's own solvers as its NAME=VALUE arguments (empty fields left out, so the
    missing one is solved for)."""
    from archcalc.explain.solve import parse_assignments, solve_conv, solve_transpose

    if kind not in CALC_LETTERS:
        raise UsageError(f"unknown calculator '{kind[:40]}'", hint="calculators: " + ", ".join(CALC_LETTERS))
    if not isinstance(values, dict):
        raise UsageError("values must map letters to numbers")
    items = tuple(f"{k}={str(v).strip()}" for k, v in values.items()
                  if v is not None and str(v).strip() != "")
    allowed = set(CALC_LETTERS[kind])
    if kind == "transpose":
        if padding not in ("valid", "same"):
            raise UsageError(f"--padding {str(padding)[:20]}: expected valid or same")
        sol = solve_transpose(parse_assignments(items, allowed), padding, output_padding)
    else:
        sol = solve_conv(parse_assignments(items, allowed), kind=kind)
    report = sol.json()
    # the values line as the CLI prints it (I=32  O=15  K=5..6 ...): every solution, not one
    shown = dict(item.split("=", 1) for item in sol.answer_text().split() if "=" in item)
    return {
        "values": {k: shown.get(k, report.get(k)) for k in CALC_LETTERS[kind] if k in shown or k in report},
        "answer": sol.answer_text(),
        "report": report,
        "derivations": [derivation_json(d) for d in sol.derivations],
        "notes": list(report.get("notes", [])),
    }


QUIZ_TOPICS = ("mixed", "conv", "pool", "params", "rnn", "receptive-field")
MAX_QUIZ = 20


def _quiz(topic: str, count: int, seed: int) -> list[Any]:
    from archcalc.explain.quiz import make_quiz

    if topic not in QUIZ_TOPICS:
        raise UsageError(f"unknown topic '{str(topic)[:40]}'", hint="topics: " + ", ".join(QUIZ_TOPICS))
    if not isinstance(count, int) or not 1 <= count <= MAX_QUIZ:
        raise UsageError(f"count must be between 1 and {MAX_QUIZ}")
    if not isinstance(seed, int) or abs(seed) > 2**31:
        raise UsageError("seed must be a whole number")
    return make_quiz(topic, count, seed)


def quiz(topic: str = "mixed", count: int = 5, seed: int = 0) -> list[dict[str, Any]]:
    """``archcalc quiz``'s questions (the same seed gives the same sheet); the answers stay
    on the server and are checked by :func:`quiz_check`."""
    return [{"number": q.number, "topic": q.topic, "prompt": q.prompt, "asks": list(q.asks)}
            for q in _quiz(topic, count, seed)]


def quiz_check(topic: str, count: int, seed: int, number: int, ask: str, answer: str,
               reveal: bool = False) -> dict[str, Any]:
    """Whether a typed answer is right. Shapes compare their sizes (``(None, 28, 28, 8)``,
    ``28x28x8`` and ``28, 28, 8`` are the same answer); counts ignore thousands separators.
    With ``reveal`` the answer and its working come back too."""
    from archcalc.explain.printing import fmt_value

    questions = _quiz(topic, count, seed)
    if not isinstance(number, int) or not 1 <= number <= len(questions):
        raise UsageError(f"no question {str(number)[:20]}")
    q = questions[number - 1]
    if ask not in q.asks:
        raise UsageError(f"question {number} does not ask for '{str(ask)[:40]}'", hint="it asks: " + ", ".join(q.asks))
    expected = q.answers[ask]
    want = expected if isinstance(expected, str) else fmt_value(expected)
    typed = str(answer or "")[:200]
    out: dict[str, Any] = {"correct": bool(typed.strip()) and _same_answer(ask, typed, want)}
    if reveal:
        out["answer"] = want
        out["working"] = [{"heading": w.heading, "derivations": [derivation_json(d) for d in w.derivations]}
                          for w in q.working]
    return out


def _same_answer(ask: str, typed: str, want: str) -> bool:
    if ask == "output shape":
        def sizes(s: str) -> list[str]:
            return [t for t in re.findall(r"None|\d+", s) if t != "None"]

        rest = re.sub(r"none", "", typed, flags=re.I)
        return sizes(typed) == sizes(want) and not re.search(r"[^\d\s,()x×*\[\]]", rest, re.I)
    def count(s: str) -> str:
        return re.sub(r"[\s,_'’]", "", s)

    return count(typed) == count(want)
