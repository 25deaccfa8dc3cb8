"""The corpus comparison: what archcalc reads from a program against the Keras 3 reference.

Used by tests/test_corpus.py and by tests/corpus/update_status.py (which re-measures every
program's status). Keras is imported lazily: only the reference side needs it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
MANIFEST = HERE / "manifest.yaml"
REFERENCE = HERE / "reference.py"


def entries() -> list[dict[str, Any]]:
    """The manifest's programs, in order."""
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return list(data["programs"])


def entry_id(entry: dict[str, Any]) -> str:
    """A readable test id: the file, plus the picked model when the file has several entries."""
    return entry["file"] + (f"[{entry['model']}]" if entry.get("model") else "")


@functools.cache
def reference_module() -> Any:
    """tests/corpus/reference.py, imported by path (it is test-owned code), once."""
    spec = importlib.util.spec_from_file_location("corpus_reference", REFERENCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the Keras side ---------------------------------------------------------------------------


@contextlib.contextmanager
def recording_calls() -> Iterator[dict[int, Any]]:
    """Record every Keras layer's first output shape while a reference is built.

    Layers inside a subclassed model are called on backend tensors, not on KerasTensors, so
    ``layer.output`` does not exist for them; wrapping ``Layer.__call__`` sees every call.
    A layer that has a node in its model's graph reports that node's output instead.
    """
    import keras

    seen: dict[int, Any] = {}
    original = keras.layers.Layer.__call__

    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        out = original(self, *args, **kwargs)
        if id(self) not in seen:
            seen[id(self)] = shapes_of(out)
        return out

    keras.layers.Layer.__call__ = call  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        keras.layers.Layer.__call__ = original  # type: ignore[method-assign]


def shapes_of(out: Any) -> Any:
    """A tensor's shape as a tuple (None for unknown sizes); a flat list of them for several
    (a cell's ``(output, [state])`` is its node's outputs in order, as archcalc lists them)."""
    if isinstance(out, dict):
        out = list(out.values())
    if isinstance(out, (list, tuple)):
        flat: list[Any] = []
        for v in out:
            s = shapes_of(v)
            flat.extend(s if isinstance(s, list) else [s])
        return flat
    return tuple(None if d is None else int(d) for d in out.shape)


def count(weights: Any) -> int:
    return sum(math.prod(int(d) for d in w.shape) for w in weights)


@functools.cache
def build_reference(name: str) -> dict[str, Any]:
    """Build reference ``name`` in a fresh Keras session; its totals, outputs and layers.

    Cached: the numbers of a reference do not change within a run (the entries of a file with
    several models, and the check that every reference builds, share one build each).
    """
    import keras

    keras.utils.clear_session()
    module = reference_module()
    with recording_calls() as seen:
        model = getattr(module, name)()
    outputs = getattr(model, "outputs", None)
    if outputs:
        out = [shapes_of(t) for t in outputs]
    else:  # a subclassed model: the shapes of its own (recorded) call
        rec = seen[id(model)]
        out = rec if isinstance(rec, list) else [rec]
    layers = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        # the output of the layer's first node (what summary() and layer.output show) where it
        # has one: a layer first called eagerly (d2l's `for layer in net.layers: X = layer(X)`)
        # and then built into its model reports the model's batch; else its first call's
        shape = shapes_of(layer.output) if layer._inbound_nodes else seen.get(id(layer))
        if shape is None:
            shape = shapes_of(layer.output)
        layers.append({
            "name": layer.name, "type": type(layer).__name__.lstrip("_"), "output": shape,
            "trainable": count(layer.trainable_weights),
            "non_trainable": count(layer.non_trainable_weights),
        })
    return {
        "total": model.count_params(), "trainable": count(model.trainable_weights),
        "non_trainable": count(model.non_trainable_weights), "outputs": out, "layers": layers,
    }


# --- the archcalc side ------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """archcalc numbers as Python ints (a sympy size left unpinned stays visible as text)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        items = [plain(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    try:
        as_int = int(value)
    except (TypeError, ValueError):
        return str(value)
    return as_int if as_int == value else str(value)


def read_program(entry: dict[str, Any]) -> dict[str, Any]:
    """Read the program with archcalc (never run) and analyse it, in the reference's terms."""
    from archcalc.engine import analyze
    from archcalc.readers import load

    graph = load(PROGRAMS / entry["file"], overrides=entry.get("set") or None,
                 model_name=entry.get("model"))
    result = analyze(graph)
    rows = [r for r in result.rows if not r.node.is_input and not r.node.shared_with]
    out = result.output_shapes
    return {
        "total": plain(result.total_params), "trainable": plain(result.trainable_params),
        "non_trainable": plain(result.non_trainable_params),
        "outputs": [plain(s) for s in out],
        "layers": [{
            "name": r.name, "type": r.type, "output": plain(r.output_shape),
            "trainable": plain(r.trainable_params), "non_trainable": plain(r.non_trainable_params),
        } for r in rows],
    }


def differences(ref: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Every way archcalc's reading differs from the Keras reference (empty: identical).

    Layers are paired by name when every Keras layer name is one of archcalc's nodes (the
    reader names layers as Keras would); failing that, position by position over archcalc's
    nodes of the layer types Keras lists; failing that, each Keras layer must have an
    identical archcalc node (type, output shape, both counts) in any order, the nodes left
    over holding no weights. Operation nodes such as ``x + 3.0`` are no Keras layers:
    ``model.layers`` leaves them out, and so does this comparison.
    """
    diffs = []
    for key in ("total", "trainable", "non_trainable"):
        if ref[key] != got[key]:
            diffs.append(f"{key} params: keras {ref[key]}, archcalc {got[key]}")
    r_out, g_out = ref["outputs"], got["outputs"]
    if sorted(map(repr, r_out)) != sorted(map(repr, g_out)):
        diffs.append(f"model outputs: keras {r_out}, archcalc {g_out}")
    by_name = {g["name"]: g for g in got["layers"]}
    found = None
    if all(layer["name"] in by_name for layer in ref["layers"]):
        found = _layer_diffs([(layer, by_name[layer["name"]]) for layer in ref["layers"]])
        if not found:
            return diffs
    types = {layer["type"] for layer in ref["layers"]}
    mine = [g for g in got["layers"] if g["type"] in types]
    if len(mine) == len(ref["layers"]):
        by_position = _layer_diffs(list(zip(ref["layers"], mine, strict=True)))
        if not by_position:
            return diffs
        found = found or by_position
    unmatched = _unmatched(ref["layers"], got["layers"])
    if not unmatched:
        return diffs
    return diffs + (found or [f"no archcalc node like keras layer {unmatched[0]}"])


def _key(layer: dict[str, Any]) -> tuple[Any, ...]:
    out = layer["output"]
    if isinstance(out, list) and len(out) == 1:
        out = out[0]
    return layer["type"], repr(out), layer["trainable"], layer["non_trainable"]


def _unmatched(ref_layers: list[dict[str, Any]], got_layers: list[dict[str, Any]]) -> list[str]:
    """Keras layers with no identical archcalc node, in any order (the last pairing tried).

    archcalc nodes left over must hold no weights: tensor operations (``x + 3.0``), which
    Keras keeps out of ``model.layers``.
    """
    pool = [_key(g) for g in got_layers]
    missing = []
    for layer in ref_layers:
        key = _key(layer)
        if key in pool:
            pool.remove(key)
        else:
            missing.append(f"{layer['name']} {key}")
    missing += [f"(extra archcalc node with weights: {k})" for k in pool if k[2] or k[3]]
    return missing


def _layer_diffs(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[str]:
    out = []
    for i, (k, a) in enumerate(pairs):
        for key in ("output", "trainable", "non_trainable"):
            kv, av = k[key], a[key]
            if key == "output" and isinstance(kv, list) and isinstance(av, tuple) and len(kv) == 1:
                kv = kv[0]
            if kv != av:
                out.append(f"layer {i} keras {k['name']} ({k['type']}) / archcalc {a['name']} "
                           f"({a['type']}): {key} keras {kv}, archcalc {av}")
    return out


def first_error(entry: dict[str, Any]) -> str | None:
    """Why archcalc does not read the program exactly today (None: it does)."""
    from archcalc.errors import ArchcalcError

    try:
        got = read_program(entry)
    except ArchcalcError as e:
        where = f"{e.loc.line}:{e.loc.column or 1}: " if e.loc is not None and e.loc.line else ""
        return f"{where}{e.message}"
    except Exception as e:  # noqa: BLE001  (a crash is a status too; the CLI test reports it)
        return f"crash: {type(e).__name__}: {e}"
    diffs = differences(build_reference(entry["reference"]), got)
    if not diffs:
        return None
    if not isinstance(got["total"], int):  # a size left as a symbol: not read, but not wrong
        return "symbolic: " + diffs[0]
    return "wrong: " + diffs[0]


#: text that must never reach a user: a traceback or an internal object's repr
FORBIDDEN = ("Traceback", "Unknown(", "Mod(", " object at 0x")


def cli_problem(entry: dict[str, Any]) -> str | None:
    """What `archcalc summary` or `lint` on the program shows that it must not (None: clean).

    Both run in-process; each must end in a result or a clean error (exit 0, 1 or 2), with no
    traceback and no internal object in what it prints.
    """
    from click.testing import CliRunner

    from archcalc.cli import cli

    path = str(PROGRAMS / entry["file"])
    extra = ["--model", entry["model"]] if entry.get("model") else []
    for name, value in (entry.get("set") or {}).items():
        extra += ["--set", f"{name}={value}"]
    for args in (["summary", path, *extra], ["lint", path]):
        result = CliRunner().invoke(cli, args)
        shown = result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            return f"{args[0]}: crash: {type(result.exception).__name__}: {result.exception}"
        if result.exit_code not in (0, 1, 2):
            return f"{args[0]}: exit status {result.exit_code}"
        for bad in FORBIDDEN:
            if bad in shown:
                line = next(x for x in shown.splitlines() if bad in x)
                return f"{args[0]} prints {bad!r}: {line.replace(str(PROGRAMS) + '/', '')}"
    return None
