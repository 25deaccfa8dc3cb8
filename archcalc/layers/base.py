"""The layer-type protocol: argument binding, shapes, weights and receptive field.

One subclass of :class:`LayerType` per Keras layer class. A subclass declares its
constructor arguments in Keras's positional order (``ARGS``) and implements
``output_shape``, ``weights`` and, where the layer moves over space, ``receptive_field``.
The registry (``archcalc.layers.registry``) finds the subclasses by their Keras name and
aliases; nothing dispatches on class-name strings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

from archcalc.errors import ShapeError, SpecError, did_you_mean
from archcalc.layers.formulas import Dim, is_int, prod

Shape = tuple  # (batch, *dims); each dim an int, None or a sympy expression

REQUIRED = object()

#: the layer class a classmethod is called on, so that ``X.bind(...)`` is typed as an ``X``
_L = TypeVar("_L", bound="LayerType")


class ArgError(ValueError):
    """Raised by an argument converter; becomes a SpecError at the argument's location."""


@dataclass(frozen=True)
class Arg:
    """One constructor argument: its Keras name, default and converter."""

    name: str
    default: Any = REQUIRED
    convert: Callable[[Any, LayerType], Any] | None = None
    keyword_only: bool = False


@dataclass(frozen=True)
class Weight:
    """A weight variable as Keras creates it."""

    name: str
    shape: tuple
    trainable: bool = True

    @property
    def size(self) -> Dim:
        return prod(self.shape)


@dataclass(frozen=True)
class AxisRF:
    """Receptive field along one spatial axis, in input pixels.

    size: how many input positions one output unit sees; jump: distance in input
    positions between neighbouring output units (effective stride); start: centre of the
    first output unit's field, in input coordinates (the first input pixel's centre is 0.5).
    """

    size: Fraction
    jump: Fraction
    start: Fraction

    @classmethod
    def identity(cls) -> AxisRF:
        return cls(Fraction(1), Fraction(1), Fraction(1, 2))

    def size_int(self) -> int:
        return math.ceil(self.size)

    def __str__(self) -> str:
        return f"{self.size_int()} (jump {self.jump}, start {self.start})"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Jupyter/IPython text/plain
        p.text(f"AxisRF({self})")

    def span(self, n_out: int) -> Fraction:
        """Input extent (padding included) seen by n_out neighbouring output units."""
        return self.size + (n_out - 1) * self.jump


@dataclass(frozen=True)
class RF:
    """Receptive field of a tensor: one AxisRF per spatial axis; aligned is False after a
    merge of branches whose grids (jump, start) differ."""

    axes: tuple[AxisRF, ...]
    aligned: bool = True

    def sizes(self) -> list[int]:
        return [a.size_int() for a in self.axes]

    def __str__(self) -> str:
        """The receptive field as one writes it: 3x3 (one size per spatial axis)."""
        return "x".join(str(n) for n in self.sizes()) + ("" if self.aligned else " (branches not aligned)")

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Jupyter/IPython text/plain
        p.text(f"RF({self})")


# --- argument converters ------------------------------------------------------------

def _describe(v: Any) -> str:
    return repr(v)


def int_arg(min_value: int | None = 1, allow_none: bool = False) -> Callable[[Any, Any], Any]:
    def conv(v: Any, layer: Any) -> Any:
        if v is None and allow_none:
            return None
        if not is_int(v) and not _is_sym(v):
            raise ArgError(f"expected an integer, got {_describe(v)}")
        if is_int(v) and min_value is not None and v < min_value:
            raise ArgError(f"must be >= {min_value}, got {v}")
        return v

    return conv


def float_arg(lo: float | None = None, hi: float | None = None, hi_open: bool = False) -> Callable:
    def conv(v: Any, layer: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ArgError(f"expected a number, got {_describe(v)}")
        if v != v or v in (float("inf"), float("-inf")):  # NaN or infinite: Keras's range checks fail
            if lo is not None or hi is not None:
                raise ArgError(f"must be a finite number, got {v!r}")
        if lo is not None and v < lo:
            raise ArgError(f"must be >= {lo}, got {v}")
        if hi is not None and (v >= hi if hi_open else v > hi):
            raise ArgError(f"must be {'<' if hi_open else '<='} {hi}, got {v}")
        return v

    return conv


def bool_arg(v: Any, layer: Any) -> bool:
    if not isinstance(v, bool):
        raise ArgError(f"expected True or False, got {_describe(v)}")
    return v


def choice_arg(*choices: Any) -> Callable[[Any, Any], Any]:
    def conv(v: Any, layer: Any) -> Any:
        if isinstance(v, str):
            v2 = v.lower()
            if v2 in choices:
                return v2
        elif v in choices:
            return v
        hint = did_you_mean(str(v), [str(c) for c in choices if c is not None])
        msg = "expected one of " + ", ".join(repr(c) for c in choices) + f", got {_describe(v)}"
        raise ArgError(msg + (f" ({hint})" if hint else ""))

    return conv


def str_or_none(v: Any, layer: Any) -> Any:
    if v is not None and not isinstance(v, str):
        raise ArgError(f"expected a string or None, got {_describe(v)}")
    return v


def any_arg(v: Any, layer: Any) -> Any:
    return v


def _is_sym(v: Any) -> bool:
    return hasattr(v, "free_symbols")


def tuple_arg(rank_attr: str = "RANK", min_value: int = 1, allow_none: bool = False) -> Callable:
    """Keras's standardize_tuple: an int, or a tuple/list of `rank` ints."""

    def conv(v: Any, layer: Any) -> Any:
        rank = getattr(layer, rank_attr)
        if v is None and allow_none:
            return None
        if is_int(v) or _is_sym(v):
            vals = (v,) * rank
        elif isinstance(v, (tuple, list)):
            if len(v) != rank:
                raise ArgError(f"expected {rank} integer(s), got {len(v)}: {_describe(v)}")
            vals = tuple(v)
        else:
            raise ArgError(f"expected an integer or a tuple of {rank}, got {_describe(v)}")
        for x in vals:
            if not (is_int(x) or _is_sym(x)):
                raise ArgError(f"expected integers, got {_describe(v)}")
            if is_int(x) and x < min_value:
                raise ArgError(f"values must be >= {min_value}, got {_describe(v)}")
        return vals

    return conv


DATA_FORMAT = Arg("data_format", None, choice_arg("channels_last", "channels_first", None))

# Accepted by every Keras layer; they do not change shapes or counts (except trainable).
COMMON_KWARGS: dict[str, Callable[[Any, Any], Any]] = {
    "name": str_or_none,
    "trainable": bool_arg,
    "dtype": any_arg,
    "autocast": bool_arg,
    "activity_regularizer": any_arg,
    "input_shape": any_arg,
    "input_dim": any_arg,
    "batch_size": any_arg,
}


def ignored(*names: str) -> tuple[Arg, ...]:
    """Keyword arguments Keras accepts that do not change shapes or counts."""
    return tuple(Arg(n, None, any_arg, keyword_only=True) for n in names)


# --- the layer type -------------------------------------------------------------------

class LayerType:
    """Base class for all layer types. Subclasses are registered automatically."""

    keras_name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    family: ClassVar[str] = ""
    ARGS: ClassVar[tuple[Arg, ...]] = ()
    #: how many input tensors the layer takes: (min, max); max None means any number
    n_inputs: ClassVar[tuple[int, int | None]] = (1, 1)
    #: registry meta-data for tests: an example call and input shape(s) (without batch)
    example: ClassVar[tuple[str, Any] | None] = None

    #: False for a class Keras writes in saved configs but keras.layers does not export
    #: (ConvNeXt's LayerScale): only the config readers find it (registry.get(saved=True))
    in_keras_layers: ClassVar[bool] = True
    #: for such a class, the Keras module that defines it (the parity test builds it there)
    keras_module: ClassVar[str] = "keras.layers"

    # -- what the layer is: consumers (lint, verify) ask these, never the class name ------
    #: the activation the layer itself is (ReLU: "relu"); None when it applies none, or one
    #: configured by an ``activation`` argument (read from ``cfg``)
    applies_activation: ClassVar[str | None] = None
    #: values pass through unchanged, only moved, copied or reshaped (Flatten, Permute, Identity)
    passes_values_through: ClassVar[bool] = False
    #: rearranges the values into another shape (Flatten, Reshape)
    reshapes: ClassVar[bool] = False
    #: flattens each sample to one axis (Flatten)
    flattens: ClassVar[bool] = False
    #: the identity at inference, random (or a loss term) only in training (Dropout, noise)
    is_regularizer: ClassVar[bool] = False
    #: drops a ``rate`` of its inputs in training (every *Dropout layer)
    is_dropout: ClassVar[bool] = False
    #: the dropped inputs become 0 (Dropout, SpatialDropout; not Gaussian or Alpha dropout)
    zeroes_inputs: ClassVar[bool] = False
    #: normalises with batch statistics it keeps as non-trainable weights
    is_batch_normalization: ClassVar[bool] = False
    #: a fully connected layer (Dense): the usual classifier head, the usual big matrix
    is_dense: ClassVar[bool] = False
    #: looks rows up in a table by integer ids (Embedding)
    is_embedding: ClassVar[bool] = False
    #: reads integer ids or tokens, not real values (Embedding, the lookup and hashing layers)
    reads_ids: ClassVar[bool] = False
    #: scales its input to another range (Rescaling): the data need no scaling of their own
    rescales_inputs: ClassVar[bool] = False
    #: makes the spatial grid finer (UpSampling, transposed convolutions)
    upsamples: ClassVar[bool] = False
    #: multiplies its inputs together (Multiply, Dot): a gate or an attention product
    is_gate: ClassVar[bool] = False
    #: the argument that holds the wrapped layer (TimeDistributed, Bidirectional: "layer")
    wraps_layer: ClassVar[str | None] = None
    #: applies the wrapped layer at every time step, its output being the wrapped layer's
    per_time_step: ClassVar[bool] = False

    registry: ClassVar[dict[str, type[LayerType]]] = {}
    saved_only: ClassVar[dict[str, type[LayerType]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.keras_name:
            table = LayerType.registry if cls.in_keras_layers else LayerType.saved_only
            for n in (cls.keras_name, *cls.aliases):
                table[n] = cls

    def __init__(self, cfg: dict[str, Any], given: dict[str, Any] | None = None) -> None:
        self.cfg = cfg
        #: the arguments as the user wrote them (keyword form), for code generation
        self.given = given if given is not None else {}
        self.validate()

    # -- construction -------------------------------------------------------------

    @classmethod
    def bind(cls: type[_L], args: Sequence[Any], kwargs: dict[str, Any]) -> _L:
        """Bind a Keras constructor call's arguments; raise SpecError on a bad call."""
        positional = [a for a in cls.ARGS if not a.keyword_only]
        if len(args) > len(positional):
            raise SpecError(
                f"{cls.keras_name} takes at most {len(positional)} positional argument(s), "
                f"got {len(args)}",
                hint=f"{cls.keras_name}({', '.join(a.name for a in positional)}, ...)",
            )
        given: dict[str, Any] = {}
        for a, v in zip(positional, args):
            given[a.name] = v
        by_name = {a.name: a for a in cls.ARGS}
        for k, v in kwargs.items():
            if k in given:
                raise SpecError(f"{cls.keras_name} got multiple values for argument '{k}'")
            if k not in by_name and k not in COMMON_KWARGS:
                hint = did_you_mean(k, list(by_name) + list(COMMON_KWARGS))
                raise SpecError(
                    f"{cls.keras_name} got an unexpected keyword argument '{k}'",
                    hint=hint or "arguments: " + ", ".join(by_name),
                )
            given[k] = v
        self = cls.__new__(cls)
        cfg: dict[str, Any] = {}
        for a in cls.ARGS:
            if a.name in given:
                v = given[a.name]
                try:
                    cfg[a.name] = a.convert(v, self) if a.convert else v
                except ArgError as e:
                    raise SpecError(f"{cls.keras_name} argument '{a.name}': {e}") from None
            elif a.default is REQUIRED:
                raise SpecError(
                    f"{cls.keras_name} is missing the required argument '{a.name}'",
                    hint=f"{cls.keras_name}({', '.join(p.name for p in positional if p.default is REQUIRED)})",
                )
            else:
                cfg[a.name] = a.default
                if a.convert and a.default is not None:
                    try:
                        cfg[a.name] = a.convert(a.default, self)
                    except ArgError:
                        cfg[a.name] = a.default
        for k, conv in COMMON_KWARGS.items():
            if k in given:
                try:
                    cfg[k] = conv(given[k], self)
                except ArgError as e:
                    raise SpecError(f"{cls.keras_name} argument '{k}': {e}") from None
        cfg.setdefault("trainable", True)
        try:
            LayerType.__init__(self, cfg, given)
        except ArgError as e:
            raise SpecError(f"{cls.keras_name}: {e}") from None
        return self

    def validate(self) -> None:
        """Checks Keras makes in the constructor; raise ArgError."""

    # -- analysis -----------------------------------------------------------------

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        raise NotImplementedError

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        return []

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        """Default: an element-wise layer keeps its input's receptive field."""
        return rfs[0] if rfs else None

    def sublayers(self, inputs: list[Shape]) -> list[tuple[str, LayerType, list[Shape]]]:
        """The layers a wrapper runs, as (name, layer, input shapes), for ``summary
        --expand-nested``; a plain layer wraps none. Nested models use inner_analysis."""
        return []

    def inner_analysis(self, inputs: list[Shape]) -> Any:
        """A nested model's own Analysis for these inputs; None for other layers."""
        return None

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        """The course notes' arrangement of this layer's trainable count, ``(inputs + 1) x units``,
        built with ``f``'s operations (``f.mul``, ``f.add``, ``f.area(kernel)``, ``f.div``):
        explain passes unevaluated sympy products, so the form prints as the notes write it, and
        proves it equal to the weights' sum before it shows it. None: the layer has no such form."""
        return None

    def notes_projections(self, inputs: list[Shape], f: Any) -> list[tuple[str, Any]]:
        """For a layer made of named projections (attention): (name, its count in the notes'
        form), one per weight group; empty otherwise."""
        return []

    def applied_activation(self) -> str | None:
        """The activation the layer applies: what it is (Softmax: "softmax"), else its
        ``activation`` argument; None for linear."""
        act = self.applies_activation or self.cfg.get("activation")
        return None if act in (None, "linear") or not isinstance(act, str) else act

    def returns_sequences(self) -> bool:
        """A recurrent layer that outputs every time step (``return_sequences=True``)."""
        return bool(self.cfg.get("return_sequences"))

    def cost(self, inputs: list[Shape], output: Any) -> Any:
        """The layer's cost for one sample, an :class:`archcalc.cost.Ops` (sizes known).

        A class defines it here, or ``archcalc/cost.py`` attaches a shared rule to it with
        ``@cost_rule``; subclasses inherit it. The base class has none
        (``archcalc.cost.rule_for`` answers None).
        """
        raise NotImplementedError(f"no cost rule for {self.keras_name}")

    def note_against_keras(self, inputs: list[Shape], check: Any) -> None:
        """Where the course notes' count and Keras's part ways for this layer, set
        ``check.note`` (and ``check.explained`` when the difference is exactly that);
        used by ``archcalc verify``. Most layers have nothing to say."""

    # -- helpers ---------------------------------------------------------------------

    @property
    def trainable(self) -> bool:
        return bool(self.cfg.get("trainable", True))

    def refuse(self, message: str, hint: str | None = None) -> ShapeError:
        return ShapeError(f"{self.keras_name}: {message}", hint=hint)

    def require_rank(self, shape: Shape, *ranks: int, what: str = "input") -> None:
        if len(shape) not in ranks:
            want = " or ".join(f"{r}-D" for r in ranks)
            raise self.refuse(
                f"needs a {want} {what} (batch axis included), got {fmt_shape(shape)} ({len(shape)}-D)",
                hint=_rank_hint(self, shape, ranks),
            )

    def require_min_rank(self, shape: Shape, rank: int) -> None:
        if len(shape) < rank:
            raise self.refuse(
                f"needs an input of at least {rank} dimensions (batch axis included), got {fmt_shape(shape)}",
                hint=_rank_hint(self, shape, (rank,)),
            )

    def call_repr(self) -> str:
        """The constructor call as a user would write it (used in messages and codegen)."""
        parts = []
        for k, v in self.given.items():
            if isinstance(v, LayerType):
                parts.append(f"{k}={v.call_repr()}")
            else:
                parts.append(f"{k}={v!r}")
        return f"{self.keras_name}({', '.join(parts)})"


def _rank_hint(layer: LayerType, shape: Shape, ranks: Sequence[int]) -> str | None:
    if len(shape) > max(ranks) and layer.family in ("core",):
        return "add Flatten() or a global pooling layer before it"
    if len(shape) < min(ranks):
        return "check the input shape: add the channel axis (e.g. [28, 28, 1]) or a Reshape layer"
    return None


def fmt_dim(d: Any) -> str:
    return "None" if d is None else str(d)


def fmt_shape(shape: Any, dim: Callable[[Any], str] = fmt_dim, brackets: bool = True) -> str:
    """A shape as Keras prints it: ``(None, 28, 28, 6)``, ``(8,)``; a list of shapes in
    brackets (``brackets=False``: a table cell, without them). The one shape formatter: the
    tables and explain pass ``dim``, their printer of one size (symbolic sizes in the notes'
    notation)."""
    if isinstance(shape, list):
        inner = ", ".join(fmt_shape(s, dim, brackets) for s in shape)
        return f"[{inner}]" if brackets else inner
    inner = ", ".join(dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def channels_last(layer: LayerType) -> bool:
    return layer.cfg.get("data_format") in (None, "channels_last")


def spatial_rf_input(shape: Shape) -> RF | None:
    """The receptive field of an input tensor: identity on each spatial axis."""
    n = len(shape) - 2
    if n < 1:
        return None
    return RF(tuple(AxisRF.identity() for _ in range(n)))


def unit_rf(n_axes: int) -> RF:
    return RF(tuple(AxisRF.identity() for _ in range(n_axes)))


#: keras.activations names (Keras 3.15); an unknown one is refused, as Keras does
ACTIVATIONS = frozenset(
    "celu elu exponential gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh "
    "leaky_relu linear log_sigmoid log_softmax mish relu relu6 selu sigmoid silu soft_shrink "
    "softmax softplus softsign sparse_plus sparse_sigmoid sparsemax squareplus swish tanh "
    "tanh_shrink threshold".split()
)


def activation_arg(v: Any, layer: Any) -> Any:
    if v is None:
        return None
    if not isinstance(v, str):
        raise ArgError(f"expected an activation name such as 'relu', got {_describe(v)}")
    if v not in ACTIVATIONS:
        hint = did_you_mean(v, ACTIVATIONS)
        raise ArgError(f"unknown activation '{v}'" + (f" ({hint})" if hint else ""))
    return v
