"""Custom layers: declare a layer class archcalc does not know, without running its code.

A model that uses its own layer class (``class PatchEmbed(keras.layers.Layer)``) is read
once its shape and weight rules are declared in ``archcalc-layers.yaml`` next to the model
file (or in the file named by the ``ARCHCALC_LAYERS`` environment variable)::

    layers:
      PatchEmbed:                         # the Keras class name
        args: [patch_size, dim]           # constructor arguments, in positional order
        defaults: {dim: 64}               # optional defaults
        output: "(input[0], (input[1] // patch_size) * (input[2] // patch_size), dim)"
        weights:                          # trainable weights: name -> shape
          kernel: [patch_size, patch_size, "input[-1]", dim]
          bias: [dim]
        non_trainable_weights: {}         # optional
      Scale:
        args: [units]
        output: input                     # the same shape as the (first) input
        weights: {gamma: [units]}

Expressions are Python expressions over the arguments, ``input`` (the first input's
shape, batch axis included) and ``inputs`` (all input shapes): numbers, names, ``+ - * //``,
indexing and slicing, tuples. ``None`` (an unknown size) stays ``None`` through arithmetic.
They are evaluated by a small interpreter; nothing is executed. The file is read with
PyYAML's safe loader. Custom names may not replace built-in layers.
"""

from __future__ import annotations

import ast
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import Location, SpecError
from archcalc.layers.base import REQUIRED, Arg, LayerType, Shape, Weight, any_arg

FILE_NAME = "archcalc-layers.yaml"
ENV_VAR = "ARCHCALC_LAYERS"
MAX_BYTES = limits.MAX_LAYERS_FILE_BYTES

class _ExprError(Exception):
    pass


def _eval(node: ast.AST, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, type(None))):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise _ExprError(f"unknown name '{node.id}' (known: {', '.join(sorted(names))})")
        return names[node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        out: list[Any] = []
        for e in node.elts:
            if isinstance(e, ast.Starred):
                out.extend(_eval(e.value, names))
            else:
                out.append(_eval(e, names))
        return tuple(out)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = _eval(node.operand, names)
        return None if v is None else -v
    if isinstance(node, ast.Subscript):
        return _subscript(node, names)
    if isinstance(node, ast.BinOp):
        return _binop(node, names)
    raise _ExprError(f"unsupported expression '{ast.unparse(node)}'")


def _subscript(node: ast.Subscript, names: dict[str, Any]) -> Any:
    """``input[1:-1]`` (a tuple) or ``input[-1]``."""
    obj = _eval(node.value, names)
    if isinstance(node.slice, ast.Slice):
        parts = [None if p is None else _eval(p, names) for p in (node.slice.lower, node.slice.upper, node.slice.step)]
        return tuple(obj[slice(*parts)])
    try:
        return obj[_eval(node.slice, names)]
    except (IndexError, TypeError) as e:
        raise _ExprError(f"cannot index: {e}") from None


#: the arithmetic a declaration may use on sizes
_BINOPS: dict[type, Any] = {ast.Add: lambda x, y: x + y, ast.Sub: lambda x, y: x - y,
                            ast.Mult: lambda x, y: x * y, ast.FloorDiv: lambda x, y: x // y}


def _binop(node: ast.BinOp, names: dict[str, Any]) -> Any:
    """Sizes joined by + - * //; tuples joined by +; an unknown size (None) stays unknown."""
    a, b = _eval(node.left, names), _eval(node.right, names)
    if isinstance(a, tuple) and isinstance(b, tuple) and isinstance(node.op, ast.Add):
        return a + b
    if a is None or b is None:
        return None
    fn = _BINOPS.get(type(node.op))
    if fn is None or isinstance(a, tuple) or isinstance(b, tuple):
        raise _ExprError(f"unsupported operation '{ast.unparse(node)}'")
    try:
        return fn(a, b)
    except ZeroDivisionError:
        raise _ExprError("division by zero") from None


def _parse(text: Any, where: str, path: str) -> ast.AST:
    src = str(text) if not isinstance(text, list) else "(" + ", ".join(str(x) for x in text) + ",)"
    try:
        return ast.parse(src, mode="eval").body
    except SyntaxError as e:
        raise SpecError(f"{where}: invalid expression {src!r}: {e.msg}", loc=Location(path)) from None


class CustomLayer(LayerType):
    """A layer class declared in a layers file; shapes and weights from its expressions."""

    keras_name = ""
    family = "custom"
    n_inputs = (1, None)
    DECL: dict[str, Any] = {}

    def _names(self, inputs: list[Shape]) -> dict[str, Any]:
        names = {a.name: self.cfg.get(a.name) for a in self.ARGS}
        names.update(input=tuple(inputs[0]), inputs=tuple(tuple(s) for s in inputs))
        return names

    def _value(self, node: ast.AST, inputs: list[Shape], what: str) -> Any:
        try:
            return _eval(node, self._names(inputs))
        except _ExprError as e:
            raise self.refuse(f"{what}: {e}", hint=f"check the declaration in {self.DECL['path']}") from None

    def output_shape(self, inputs: list[Shape]) -> Shape:
        out = self._value(self.DECL["output"], inputs, "output")
        if not isinstance(out, tuple):
            raise self.refuse(f"output must be a shape, got {out!r}")
        return out

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        ws = []
        for key, trainable in (("weights", True), ("non_trainable_weights", False)):
            for name, node in self.DECL[key].items():
                shape = self._value(node, inputs, f"weight '{name}'")
                if not isinstance(shape, tuple) or not all(isinstance(d, int) for d in shape):
                    raise self.refuse(f"weight '{name}' needs a known shape, got {shape!r}")
                ws.append(Weight(name, shape, trainable))
        return ws


def _declare(name: str, decl: Any, path: str) -> type[LayerType]:
    where = f"custom layer '{name}'"
    if not isinstance(decl, dict):
        raise SpecError(f"{where}: expected a mapping with args, output and weights", loc=Location(path))
    unknown = set(decl) - {"args", "defaults", "output", "weights", "non_trainable_weights", "description"}
    if unknown:
        raise SpecError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}", loc=Location(path),
                        hint="keys: args, defaults, output, weights, non_trainable_weights")
    args = decl.get("args") or []
    defaults = decl.get("defaults") or {}
    if not isinstance(args, list) or not all(isinstance(a, str) and a.isidentifier() for a in args):
        raise SpecError(f"{where}: args must be a list of argument names", loc=Location(path))
    if "output" not in decl:
        raise SpecError(f"{where}: no `output:` rule", loc=Location(path), hint="output: input  (same shape)")
    parsed = {
        "path": path,
        "output": _parse(decl["output"], where, path),
        "weights": {}, "non_trainable_weights": {},
    }
    for key in ("weights", "non_trainable_weights"):
        ws = decl.get(key) or {}
        if not isinstance(ws, dict):
            raise SpecError(f"{where}: {key} must map weight names to shapes", loc=Location(path))
        parsed[key] = {str(k): _parse(v, f"{where} weight '{k}'", path) for k, v in ws.items()}
    arg_defs = tuple(Arg(a, defaults.get(a, REQUIRED), any_arg) for a in args)
    cls: type[CustomLayer] = type(name, (CustomLayer,), {"ARGS": arg_defs, "DECL": parsed, "__doc__": decl.get("description")})
    cls.keras_name = name  # set after creation: kept out of the permanent registry
    return cls


def read(path: str) -> dict[str, type[LayerType]]:
    """Parse a layers file into layer classes by name."""
    import yaml

    p = Path(path)
    try:
        from archcalc.limits import read_file_bytes

        data = yaml.safe_load(read_file_bytes(p, MAX_BYTES, "layers file").decode("utf-8"))
    except FileNotFoundError:
        raise SpecError("no such layers file", loc=Location(path), hint=f"check {ENV_VAR}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError(f"cannot read the layers file: {e}", loc=Location(path)) from None
    except yaml.YAMLError as e:
        raise SpecError(f"invalid YAML in the layers file: {e}", loc=Location(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("layers"), dict):
        raise SpecError("a layers file has a `layers:` mapping of class names", loc=Location(path))
    from archcalc.layers import registry

    out = {}
    for name, decl in data["layers"].items():
        if not isinstance(name, str) or not name.isidentifier():
            raise SpecError(f"custom layer name {name!r} is not an identifier", loc=Location(path))
        if registry.get(name) is not None:
            raise SpecError(f"'{name}' is a built-in layer; a layers file cannot replace it", loc=Location(path))
        out[name] = _declare(name, decl, path)
    return out


def find(model_path: str | Path) -> str | None:
    """The layers file for a model: $ARCHCALC_LAYERS, or archcalc-layers.yaml beside it."""
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    beside = Path(model_path).parent / FILE_NAME
    return str(beside) if beside.is_file() else None


@contextlib.contextmanager
def active(model_path: str | Path) -> Iterator[None]:
    """Make the model's custom layers visible to every front-end's lookup while it is read
    (``registry.scope``: an overlay for this read only; the global registry is unchanged)."""
    from archcalc.layers import registry

    found = find(model_path)
    with registry.scope(read(found) if found else {}):
        yield
