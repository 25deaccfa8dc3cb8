"""Methods and attributes of the library values the reader makes (part of the library side):
arrays of known shape, argparse parsers and their options, Keras Tuner's hyperparameters,
ImageDataGenerator flows, layers. library.py's dispatch finds them by tag or type
(METHOD_TAGS, ATTRIBUTES)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from archcalc.readers.python import data
from archcalc.readers.python.operators import _number
from archcalc.readers.python.plain import text_of as _text
from archcalc.readers.python.values import (
    ArgParser,
    Array,
    HyperParams,
    ImageGenerator,
    LayerObj,
    Unknown,
)

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object


class ValuesMixin(_Side):
    """The Interpreter's methods of library values."""

    def imageflow(self, gen: ImageGenerator, method: str, args: list[Any], kwargs: dict[str, Any],
                  e: ast.Call) -> Any:
        return data.image_flow(gen, method, args, kwargs, e.lineno)

    def array_binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        arr = a if isinstance(a, Array) else b
        other = b if arr is a else a
        if isinstance(other, (Array,)) or _number(other) or isinstance(other, Unknown):
            out = data.broadcast(a, b) if isinstance(other, Array) else arr
            return Array(out.shape, arr.what, arr.classes, arr.onehot, arr.ragged, arr.vocab)
        return Unknown(_text(e), getattr(e, "lineno", 0))


    def array_attribute(self, a: Array, attr: str, e: ast.AST) -> Any:
        if attr == "shape":  # an axis of unknown size is a named size, as X.shape[1] of unread data is
            line = getattr(e, "lineno", 0)
            return tuple(Unknown(f"{a.what}.shape[{i}]", line) if d is None else d for i, d in enumerate(a.shape))
        if attr == "ndim":
            return len(a.shape)
        if attr == "size":
            n: Any = 1
            for d in a.shape:
                if not _number(d):
                    return Unknown(f"{a.what}.size", getattr(e, "lineno", 0))
                n = n * d
            return n
        if attr == "T":
            return Array(tuple(reversed(a.shape)), a.what)
        if attr in ("values", "data"):
            return a
        return ("arraymethod", a, attr)


    def hyperparameter(self, hp: HyperParams, method: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``hp.Int("units", 32, 512)``: the value Keras Tuner gives a builder by default (Int and
        Float: ``default``, else ``min_value``; Choice: ``default``, else the first of ``values``;
        Boolean: ``default``, else False; Fixed: its value), or the value ``--set units=`` pins."""
        name = args[0] if args else kwargs.get("name")
        params = {"Int": ("min_value", "max_value"), "Float": ("min_value", "max_value"), "Choice": ("values",),
                  "Boolean": (), "Fixed": ("value",)}
        if method not in params or not isinstance(name, str):
            return Unknown(_text(e), e.lineno)  # hp.get, hp.conditional_scope, ...
        if name in self.ev.overrides:
            self.ev.used_overrides.add(name)
            value = self.ev.overrides[name]
        else:
            given = dict(zip(params[method], args[1:], strict=False)) | kwargs
            if method == "Fixed":
                value = given.get("value")
            elif given.get("default") is not None:
                value = given["default"]
            elif method == "Boolean":
                value = False
            elif method == "Choice":
                values = given.get("values")
                value = values[0] if isinstance(values, (list, tuple)) and values else Unknown(name, e.lineno)
            else:
                value = given.get("min_value", Unknown(name, e.lineno))
        self.hyperparameters.setdefault(name, value)
        return value


    def argparse_method(self, parser: ArgParser, method: str, args: list[Any], kwargs: dict[str, Any],
                        e: ast.Call) -> Any:
        """``add_argument("--units", type=int, default=64)`` declares an option; ``parse_args()``
        is a namespace of the defaults, as for the script run without arguments (a string
        default goes through ``type``, as argparse does), each pinned by ``--set DEST=VALUE``.
        A required option, or one without a default, is a named unknown."""
        if method in ("add_argument_group", "add_mutually_exclusive_group"):
            return parser
        if method == "set_defaults":
            for k, v in kwargs.items():
                if k in parser.options:
                    parser.options[k] = v
            return None
        if method == "add_argument":
            return self.add_argument(parser, args, kwargs, e)
        if method in ("parse_args", "parse_known_args"):
            values = {}
            for dest, value in parser.options.items():
                if dest in self.ev.overrides:
                    self.ev.used_overrides.add(dest)
                    value = self.ev.overrides[dest]
                values[dest] = value
            self.cli_options.update({k: v for k, v in values.items() if not isinstance(v, Unknown)})
            ns = data.Bunch(values)
            return (ns, []) if method == "parse_known_args" else ns
        return Unknown(_text(e), e.lineno)

    def add_argument(self, parser: ArgParser, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> None:
        """``parser.add_argument(...)``: the option's destination and default value."""
        flags = [a for a in args if isinstance(a, str)]
        longs = [f for f in flags if f.startswith("--")]
        dest = kwargs.get("dest")
        if not isinstance(dest, str):
            first = longs[0] if longs else (flags[0] if flags else "")
            dest = first.lstrip("-").replace("-", "_")
        if not dest:
            return None
        action = kwargs.get("action")
        if "default" in kwargs:
            value = kwargs["default"]
        else:
            value = {"store_true": False, "store_false": True}.get(action) if isinstance(action, str) else None
        kind = kwargs.get("type")
        if isinstance(value, str) and isinstance(kind, tuple) and kind[:1] == ("builtin",) and \
                kind[1] in ("int", "float"):
            try:
                value = int(value) if kind[1] == "int" else float(value)
            except ValueError:
                value = Unknown(f"args.{dest}", e.lineno)
        if value is None and (kwargs.get("required") is True or not any(f.startswith("-") for f in flags)):
            value = Unknown(f"args.{dest}", e.lineno)  # given on the command line only
        parser.options[dest] = value
        return None

    def array_method(self, a: Array, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "reshape":
            shape = args[0] if len(args) == 1 else tuple(args)
            return data.reshape(a, kwargs.get("newshape", shape), e.lineno)
        if name in ("astype", "copy", "squeeze_none", "clip", "round", "flatten_none", "to_numpy", "numpy"):
            return a
        if name == "flatten" or name == "ravel":
            n: Any = 1
            for d in a.shape:
                if not _number(d):
                    return Array((None,), a.what, a.classes)
                n *= d
            return Array((n,), a.what, a.classes, a.onehot)
        if name == "max" and not args and not kwargs:
            return data.max_label(a, e.lineno)
        if name in ("mean", "std", "min", "sum") and not args and not kwargs:
            return Unknown(f"{a.what}.{name}()", e.lineno)
        if name == "transpose":
            axes = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
            if axes and all(isinstance(x, int) for x in axes) and len(axes) == len(a.shape):
                return Array(tuple(a.shape[i] for i in axes), a.what)
            return Array(tuple(reversed(a.shape)), a.what)
        return Unknown(f"{a.what}.{name}(...)", e.lineno)


    def layer_method(self, layer: LayerObj, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        cell: Any = layer.layer
        if name == "get_initial_state" and hasattr(cell, "state_sizes") and cell.keras_name != "StackedRNNCells":
            # a Keras 3 cell's: [ops.zeros((batch_size, size))] for each state (a batch size the
            # model only knows when it runs, ops.shape(x)[0], is None)
            batch = kwargs.get("batch_size", args[0] if args else None)
            batch = batch if isinstance(batch, int) and not isinstance(batch, bool) else None
            return [Array((batch, size), f"{layer.name}'s initial state") for size in cell.state_sizes()]
        return Unknown(f"{layer.name}.{name}(...)", e.lineno)
