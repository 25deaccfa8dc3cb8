"""``keras.applications`` builders (``MobileNetV2(include_top=False, input_shape=(160, 160, 3))``),
read from a table made with real Keras, since their code is Keras's and not the user's.

``applications.json`` (written by ``tests/data/make_applications.py`` from models built with
``weights=None``; checked against Keras by ``tests/test_applications.py``) holds, per builder, its
signature, default input size and name, the parameter counts without the top (trainable and
non-trainable) and with the 1000-class top, the features the top's classifier reads, the output
channels and the *spatial program*: the kernel / stride / padding steps from the input to the
output, which give the output size of any input size exactly.

In a graph the application is one node, as Keras's summary of a transfer-learning model shows it
(``mobilenetv2_1.00_160 (Functional)``, its totals); a model built on ``base.output`` counts the
same parameters but shows the base as one row where Keras lists its layers.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from archcalc.errors import SpecError
from archcalc.layers.base import LayerType, Weight, fmt_shape
from archcalc.layers.formulas import conv_output_length
from archcalc.readers.python.values import is_literal, symbol

TABLE = Path(__file__).with_name("applications.json")
#: per builder, its layers' cuts (tests/data/make_applications.py --cuts): loaded on get_layer
CUTS = Path(__file__).with_name("application_cuts.json")


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def cuts_table() -> dict[str, Any]:
    return json.loads(CUTS.read_text(encoding="utf-8"))


def cut(builder: str, layer: str) -> tuple[int, list[Any]] | None:
    """(position, record) of the layer ``layer`` of a builder's base (include_top=False, default
    width): [name, trainable, non_trainable, channels, steps, chain] (see make_applications)."""
    for i, rec in enumerate(cuts_table().get(builder) or []):
        if rec[0] == layer:
            return i, rec
    return None


def cut_names(builder: str) -> list[str]:
    return [rec[0] for rec in cuts_table().get(builder) or []]


def cut_program(full: list[dict[str, Any]], steps: Any, start: int = 0) -> list[dict[str, Any]]:
    """The spatial steps from the base's input (or from a cut ``start`` steps in) to a cut."""
    if isinstance(steps, int):
        return full[start:steps]
    shared, tail = steps
    return full[start:shared] + list(tail)


#: the width options a table entry can hold variants of (MobileNet's alpha, ...)
WIDTH_OPTIONS = ("alpha", "depth_multiplier", "minimalistic")


def variant_key(options: dict[str, Any]) -> str:
    """``alpha=0.5,minimalistic=True``: the key of a variant in an entry's ``variants``."""
    return ",".join(f"{k}={options[k]!r}" for k in sorted(options))


def entry(name: str, given: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The table's entry of a builder; with ``given`` (bound arguments), the entry of the width
    options they pick (``MobileNetV2(alpha=0.5)``), its counts and names in place."""
    e = table().get(name)
    if not isinstance(e, dict):
        return None
    if given:
        defaults = dict((p[0], p[1]) for p in e["params"])
        options = {k: given[k] for k in WIDTH_OPTIONS if k in given and given[k] != defaults.get(k)}
        if options:
            v = e.get("variants", {}).get(variant_key(options))
            return {**e, **v} if v else None
    return e


def spatial_size(program: list[dict[str, Any]], axis: int, n: Any) -> Any:
    """The output size along one spatial axis of an input of size ``n`` (None stays None)."""
    for step in program:
        if n is None:
            return None
        if "correct_pad" in step:  # keras.applications' correct_pad(): parity-dependent
            n = n + 2 * (step["correct_pad"][axis] // 2) - (1 - n % 2 if isinstance(n, int) else 1)
        elif "pad" in step:
            n = n + step["pad"][axis]
        else:
            n = conv_output_length(n, step["k"][axis], step["s"][axis], step["p"], step["d"][axis])
    return n


class Application(LayerType):
    """A keras.applications model as one layer: its output shape from the spatial program, its
    weights as the table's trainable and non-trainable counts."""

    keras_name = ""  # shown as "Functional", like a nested model; kept out of the registry
    family = "nested"

    def __init__(self, builder: str, include_top: bool, pooling: Any, classes: int, name: str,
                 trainable: bool = True, given: dict[str, Any] | None = None) -> None:
        LayerType.__init__(self, {"trainable": trainable, "name": name}, {})
        self.keras_name = "Functional"  # type: ignore[misc]
        self.builder = builder
        self.entry = entry(builder, given) or {}
        defaults = dict((p[0], p[1]) for p in self.entry.get("params", []))
        #: the builder's arguments that are not its defaults, for emit and to_keras (the weights
        #: are never loaded: the architecture is what archcalc writes)
        self.options = {k: v for k, v in (given or {}).items()
                        if k in _REBUILT and v != defaults.get(k) and is_literal(v)}
        #: set when the file sets trainable on some of the model's layers (where): the split of
        #: the counts between trainable and not is then a named size
        self.partly_frozen: str | None = None
        self.trainable_count: Any = None  # that size, when --set pins it
        self.include_top = include_top
        self.pooling = pooling
        self.classes = classes

    def output_shape(self, inputs: list[Any]) -> Any:
        shape = tuple(inputs[0])
        e = self.entry
        if len(shape) != 4:
            raise self.refuse(f"{self.builder} takes images (batch, height, width, channels), got {fmt_shape(shape)}")
        if shape[-1] not in (3, None) and not self.chained:
            raise self.refuse(
                f"archcalc's table of {self.builder} holds 3-channel inputs, got {fmt_shape(shape)}",
                hint="save the model with model.to_json() and run archcalc on the .json")
        if self.include_top:
            return (shape[0], self.classes)
        if self.pooling in ("avg", "max"):
            return (shape[0], e["channels"])
        h, w = (spatial_size(e["program"], i, shape[1 + i]) for i in (0, 1))
        for d in (h, w):
            if isinstance(d, int) and d < 1:
                raise self.refuse(f"the input {fmt_shape(shape)} is too small for {self.builder}")
        return (shape[0], h, w, e["channels"])

    def weights(self, inputs: list[Any]) -> list[Weight]:
        e = self.entry
        total, trainable = e["total"], e["trainable"]
        if self.include_top:
            extra = (e["top_features"] + 1) * (self.classes - 1000)
            total, trainable = e["top_total"] + extra, e["top_trainable"] + extra
        if self.partly_frozen:  # base.layers[:-10] frozen: the table has no per-layer counts
            trainable = self.trainable_count if self.trainable_count is not None else \
                symbol(f"{self.cfg['name']}.trainable_params")
            return [Weight("weights", (trainable,), True), Weight("non_trainable_weights", (total - trainable,), False)]
        out = [Weight("weights", (trainable,), True)]
        if total > trainable:
            out.append(Weight("non_trainable_weights", (total - trainable,), False))
        return out

    def receptive_field(self, rfs: Any, inputs: Any, output: Any) -> Any:
        return None

    def call_repr(self) -> str:
        if self.cut_at:
            return f"keras.applications.{self.builder}(...).get_layer({self.cut_at!r}).output"
        return f"keras.applications.{self.builder}(...)"

    #: the layer the model is cut at (``base.get_layer('mixed7').output``), else None
    cut_at: str | None = None
    #: a cut computed from an earlier cut's output (its channels are the earlier layer's)
    chained = False

    def set_cut(self, record: list[Any], before: list[Any] | None) -> None:
        """Make this node the base from its input (or from the earlier cut ``before``) to the
        layer of ``record``: that part's counts, channels and spatial steps."""
        name, trainable, non_trainable, channels, steps, _ = record
        start = 0
        if before is not None:
            trainable, non_trainable = trainable - before[1], non_trainable - before[2]
            start = before[4]
        self.cut_at = name
        self.chained = before is not None
        self.include_top, self.pooling = False, None
        base = entry(self.builder) or {}  # cuts are of the default width (the reader checks)
        self.entry = {**base, "total": trainable + non_trainable, "trainable": trainable,
                      "channels": channels, "program": cut_program(base.get("program", []), steps, start)}


#: the builder arguments emit and to_keras pass on (input_tensor is the model's own input)
_REBUILT = ("include_top", "input_shape", "pooling", "classes", "classifier_activation", *WIDTH_OPTIONS)


def is_application(layer: Any) -> bool:
    """A keras.applications model read from the table (one node of a transfer model)."""
    return isinstance(layer, Application)


def bind(builder: str, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The builder's arguments by name (its own positional order), checked against what the
    table covers; SpecError (without a location) otherwise."""
    e = entry(builder)
    if e is None:
        raise SpecError(f"keras.applications.{builder} is not in archcalc's table")
    names = [p[0] for p in e["params"]]
    given = dict(zip(names, args, strict=False))
    given.update(kwargs)
    for k in given:
        if k not in names:
            raise SpecError(f"{builder}() got an unexpected keyword argument '{k}'",
                            hint=f"{builder}({', '.join(names)})")
    defaults = dict((p[0], p[1]) for p in e["params"])
    bound = {**defaults, **given}
    if entry(builder, bound) is None:
        options = {k: bound[k] for k in WIDTH_OPTIONS if k in given and given[k] != defaults.get(k)}
        held = ["default"] + sorted(e.get("variants", {}))
        raise SpecError(f"archcalc's table of {builder} has no variant {variant_key(options)}",
                        hint=f"it holds: {'; '.join(held)}; for another, save the model with model.to_json() "
                             "and run archcalc on the .json")
    return bound


def model_name(builder: str, rows: Any, given: dict[str, Any] | None = None) -> str:
    """Keras's name for the model: MobileNet(V2) put alpha and the input size in it."""
    e = entry(builder, given) or {}
    name = e.get("name", builder.lower())
    default = (e.get("default_size") or [None])[0]
    if isinstance(rows, int) and default is not None and name.endswith(f"_{default}"):
        return name[: -len(str(default))] + str(rows)
    return name
