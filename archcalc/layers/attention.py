"""Attention: EinsumDense, MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention.

Keras's MultiHeadAttention gives every head its own projections: the query, key and value
kernels are (features, heads, head size) with a (heads, head size) bias each, and the output
projection maps (heads, value size) back to the query's features (or to ``output_shape``).
They are EinsumDense layers; :func:`einsum_shapes` reads an equation the way Keras does.

Call arguments. Keras takes ``return_attention_scores`` and ``use_causal_mask`` when the
layer is *called*, not constructed; archcalc's specs have no call arguments, so the layer
accepts them as keyword arguments and lists them in ``CALL_ARGS`` (code generation puts
them back on the call).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import (
    RF,
    Arg,
    ArgError,
    LayerType,
    Shape,
    Weight,
    activation_arg,
    any_arg,
    bool_arg,
    choice_arg,
    float_arg,
    fmt_shape,
    ignored,
    int_arg,
)

_INIT = ignored(
    "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
    "kernel_constraint", "bias_constraint",
)


def _dims_arg(v: Any, layer: Any) -> Any:
    """An int or a tuple/list of ints (None allowed inside), as Keras's output_shape."""
    if v is None:
        return None
    if F.is_int(v):
        return (v,)
    if isinstance(v, (list, tuple)) and all(x is None or F.is_int(x) or hasattr(x, "free_symbols") for x in v):
        return tuple(v)
    raise ArgError(f"expected an integer or a tuple of integers, got {describe_value(v)}")


# --- EinsumDense ---------------------------------------------------------------------------

_FULL = re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")
_LEFT = re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)")
_RIGHT = re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0")


def parse_equation(equation: str) -> tuple[str, str, str, str]:
    """(input spec, kernel spec, output spec, elision: '' | 'left' | 'right'); ValueError
    for a form Keras does not accept."""
    text = equation.replace("...", "0")
    for pattern, side in ((_FULL, ""), (_LEFT, "left"), (_RIGHT, "right")):
        m = pattern.match(text)
        if m:
            return m.group(1), m.group(2), m.group(3), side
    raise ValueError(
        f"invalid einsum equation '{equation}': use the form ab,bc->ac, ...ab,bc->...ac or ab...,bc->ac..."
    )


def einsum_shapes(equation: str, bias_axes: str | None, input_shape: Shape, partial: tuple,
                  ) -> tuple[list[Any], list[Any] | None, list[Any]]:
    """(kernel shape, bias shape or None, output shape) of EinsumDense, as Keras derives them
    from the equation, the input shape (batch included) and the given output_shape, with
    Keras's checks in Keras's order (``keras/src/layers/core/einsum_dense.py``): the output
    and where each axis sits, the axes' sizes, the kernel, the bias."""
    ins, ker, outs, side = parse_equation(equation)
    elided = len(input_shape) - len(ins)
    out, in_pos, out_pos = _einsum_output(equation, ins, outs, side, input_shape, partial)
    _check_einsum_axes(ins, ker, outs, input_shape, out, in_pos, out_pos)
    kernel = _einsum_kernel(ins, ker, outs, input_shape, out, in_pos, out_pos)
    bias = None if bias_axes is None else _einsum_bias(bias_axes, outs, side, elided, out)
    return kernel, bias, out


def _einsum_output(equation: str, ins: str, outs: str, side: str, input_shape: Shape, partial: tuple,
                   ) -> tuple[list[Any], dict[str, int], dict[str, int]]:
    """The output shape (the batch axis, output_shape, the elided axes where Keras puts them)
    and the position of each input and output axis."""
    elided = len(input_shape) - len(ins)
    if side == "" and elided != 0:
        raise ValueError(
            f"the equation '{equation}' names {len(ins)} input axes, the input {fmt_shape(input_shape)} has {len(input_shape)}"
        )
    if side and elided < 0:
        raise ValueError(f"the input {fmt_shape(input_shape)} has fewer axes than the equation '{equation}' names")
    out = [input_shape[0], *partial]
    if elided > 0 and side == "left":
        for i in range(1, elided):  # Keras inserts each elided axis at position 1
            out.insert(1, input_shape[i])
    elif elided > 0:
        out.extend(input_shape[len(input_shape) - elided:])
    if side == "left":
        in_pos = {d: i + elided - len(input_shape) for i, d in enumerate(ins)}
        out_pos = {d: i + elided for i, d in enumerate(outs)}
    else:
        in_pos = {d: i for i, d in enumerate(ins)}
        out_pos = {d: i for i, d in enumerate(outs)}
    if max(out_pos.values(), default=-1) >= len(out):
        raise ValueError(
            f"output_shape {tuple(partial)} has fewer axes than the equation's output '{outs}' needs"
        )
    return out, in_pos, out_pos


def _check_einsum_axes(ins: str, ker: str, outs: str, input_shape: Shape, out: list[Any],
                       in_pos: dict[str, int], out_pos: dict[str, int]) -> None:
    """An axis of both the input and the output has one size; an output axis comes from the
    input or the kernel."""
    for d in ins:
        if d in out_pos:
            o, i = out[out_pos[d]], input_shape[in_pos[d]]
            if o is not None and i is not None and o != i:
                raise ValueError(f"axis '{d}' is {i} in the input {fmt_shape(input_shape)} but {o} in output_shape")
    for d in outs:
        if d not in ins and d not in ker:
            raise ValueError(f"output axis '{d}' appears in neither the input '{ins}' nor the kernel '{ker}'")


def _einsum_kernel(ins: str, ker: str, outs: str, input_shape: Shape, out: list[Any],
                   in_pos: dict[str, int], out_pos: dict[str, int]) -> list[Any]:
    """The kernel's shape: each kernel axis's size from the output, else from the input."""
    kernel = []
    for d in ker:
        if d in out_pos:
            kernel.append(out[out_pos[d]])
        elif d in in_pos:
            kernel.append(input_shape[in_pos[d]])
        else:
            raise ValueError(f"kernel axis '{d}' appears in neither the input '{ins}' nor the output '{outs}'")
    if any(k is None for k in kernel):
        raise ValueError(f"the kernel shape {tuple(kernel)} has an unknown size (give it in output_shape)")
    return kernel


def _einsum_bias(bias_axes: str, outs: str, side: str, elided: int, out: list[Any]) -> list[Any]:
    """The bias's shape: the output's sizes from the first bias axis on, 1 on the others."""
    for ch in bias_axes:
        if ch not in outs:
            raise ValueError(f"bias axis '{ch}' is not in the output '{outs}'")
    shift = elided if side == "left" else 0
    size = {ch: out[i + shift] for i, ch in enumerate(outs)}
    first = min(outs.find(ch) for ch in bias_axes)
    bias = [size[ch] if ch in bias_axes else 1 for ch in outs[first:]]
    if side != "left":
        bias += [1] * elided
    if any(b is None for b in bias):
        raise ValueError(f"the bias shape {tuple(bias)} has an unknown size")
    return bias


def einsum_contracted(equation: str, input_shape: Shape, kernel: list[Any]) -> Any:
    """Product of the sizes summed over (axes in the input or kernel but not the output)."""
    ins, ker, outs, side = parse_equation(equation)
    elided = len(input_shape) - len(ins)
    offset = elided if side == "left" else 0
    size = {d: input_shape[i + offset] for i, d in enumerate(ins)}
    size.update({d: k for d, k in zip(ker, kernel)})
    return F.prod(size[d] for d in dict.fromkeys(ins + ker) if d not in outs)


class EinsumDense(LayerType):
    """A dense layer written as an einsum: the kernel's shape comes from the equation."""

    keras_name = "EinsumDense"
    family = "attention"
    ARGS = (
        Arg("equation", convert=lambda v, lay: _equation_arg(v)),
        Arg("output_shape", convert=_dims_arg),
        Arg("activation", None, activation_arg),
        Arg("bias_axes", None, lambda v, lay: _bias_axes_arg(v)),
        *_INIT,
        *ignored("lora_rank", "lora_alpha", "gptq_unpacked_column_size", "quantization_config"),
    )
    example = ("EinsumDense('abc,cde->abde', output_shape=(5, 2, 4), bias_axes='de')", (5, 3))

    def analysis(self, shape: Shape) -> tuple[list[Any], list[Any] | None, list[Any]]:
        c = self.cfg
        try:
            return einsum_shapes(c["equation"], c["bias_axes"], shape, c["output_shape"])
        except ValueError as e:
            raise self.refuse(str(e)) from None

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return tuple(self.analysis(inputs[0])[2])

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        kernel, bias, _ = self.analysis(inputs[0])
        ws = [Weight("kernel", tuple(kernel))]
        if bias is not None:
            ws.append(Weight("bias", tuple(bias)))
        return ws

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


def _equation_arg(v: Any) -> str:
    if not isinstance(v, str):
        raise ArgError(f"expected an einsum equation such as 'ab,bc->ac', got {describe_value(v)}")
    try:
        parse_equation(v)
    except ValueError as e:
        raise ArgError(str(e)) from None
    return v


def _bias_axes_arg(v: Any) -> Any:
    if v is not None and not (isinstance(v, str) and v.isalpha()):
        raise ArgError(f"expected the output axes' letters, such as 'de', got {describe_value(v)}")
    return v


# --- multi-head attention --------------------------------------------------------------------

def _known_features(layer: LayerType, shape: Shape, what: str) -> Any:
    if shape[-1] is None:
        raise layer.refuse(f"the feature axis of the {what} {fmt_shape(shape)} must be known")
    return shape[-1]


class AttentionBase(LayerType):
    """Query, value and an optional key: called on [query, value] or [query, value, key]."""

    family = "attention"
    n_inputs: ClassVar[tuple[int, int | None]] = (2, 3)
    #: keyword arguments Keras takes when the layer is called (see the module docstring)
    CALL_ARGS: ClassVar[frozenset[str]] = frozenset({"return_attention_scores", "use_causal_mask"})
    #: True: Keras calls it as layer(query, value, key); False: layer([query, value, key])
    SEPARATE_INPUTS: ClassVar[bool] = False

    @staticmethod
    def qvk(inputs: list[Shape]) -> tuple[Shape, Shape, Shape]:
        q, v = inputs[0], inputs[1]
        return q, v, inputs[2] if len(inputs) > 2 else v

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None  # every query position sees every key position


_CALL_FLAGS = (
    Arg("return_attention_scores", False, bool_arg, keyword_only=True),
    Arg("use_causal_mask", False, bool_arg, keyword_only=True),
)


def _projection_forms(layer: Any, inputs: list[Shape], f: Any, heads: Any, size: Any,
                      feats: list[Any]) -> list[tuple[str, Any]]:
    """The notes' form of each EinsumDense an attention layer creates, the output last."""
    bias = layer.cfg["use_bias"]
    out = []
    for name, n_in, head_size, dims in layer.projections(inputs):
        out.append((name, f.mul(f.add(n_in, 1), dims[0], head_size) if bias else f.mul(n_in, dims[0], head_size)))
    hv = f.mul(heads, size)
    out.append(("attention_output", f.mul(f.add(hv, 1), *feats) if bias else f.mul(hv, *feats)))
    return out


class MultiHeadAttention(AttentionBase):
    """Per-head projections (features x heads x head size, + a heads x head size bias) of the
    query, key and value; scaled dot-product attention over ``attention_axes``; an output
    projection from heads x value size to the query's features (or ``output_shape``)."""

    keras_name = "MultiHeadAttention"
    SEPARATE_INPUTS = True
    ARGS = (
        Arg("num_heads", convert=int_arg(1)),
        Arg("key_dim", convert=int_arg(1)),
        Arg("value_dim", None, int_arg(1, allow_none=True)),
        Arg("dropout", 0.0, float_arg(0.0, 1.0)),
        Arg("use_bias", True, bool_arg),
        Arg("output_shape", None, _dims_arg),
        Arg("attention_axes", None, lambda v, lay: _axes_arg(v)),
        Arg("sliding_window", None, int_arg(1, allow_none=True)),
        Arg("flash_attention", None, any_arg),
        *_INIT,
        Arg("use_gate", False, bool_arg),
        Arg("seed", None, any_arg),
        *_CALL_FLAGS,
    )
    example = ("MultiHeadAttention(2, 4)", [(6, 8), (5, 8)])

    @property
    def value_size(self) -> Any:
        return self.cfg["value_dim"] or self.cfg["key_dim"]

    def check(self, inputs: list[Shape]) -> tuple[Shape, Shape, Shape]:
        q, v, k = self.qvk(inputs)
        for s, what in ((q, "query"), (v, "value"), (k, "key")):
            self.require_min_rank(s, 3)
            _known_features(self, s, what)
        if tuple(v[1:-1]) != tuple(k[1:-1]):
            raise self.refuse(
                f"the value {fmt_shape(v)} and the key {fmt_shape(k)} must agree on every axis but the last",
            )
        if not (len(q) == len(v) == len(k)):
            raise self.refuse(f"query {fmt_shape(q)}, value and key need the same number of axes")
        self.attention_axes(q)
        return q, v, k

    def attention_axes(self, query: Shape) -> tuple[int, ...]:
        """The query axes attended over (Keras's default: every axis but batch and features)."""
        rank = len(query) + 1  # the projected query has a heads axis before the features
        axes = self.cfg["attention_axes"]
        if axes is None:
            return tuple(range(1, rank - 2))
        out = tuple(a if a >= 0 else (rank - 1) + a for a in axes)
        if any(not 1 <= a <= rank - 3 for a in out) or len(set(out)) != len(out):
            raise self.refuse(
                f"attention_axes {axes!r} must name axes of the query {fmt_shape(query)} other than "
                "the batch and feature axes"
            )
        return out

    def output_size(self, query: Shape) -> tuple:
        return self.cfg["output_shape"] or (query[-1],)

    def scores_shape(self, q: Shape, k: Shape) -> Shape:
        """(batch, other axes..., heads, query attention axes..., key attention axes...)."""
        axes = self.attention_axes(q)
        batch_like = [q[i] for i in range(1, len(q) - 1) if i not in axes]
        return (q[0], *batch_like, self.cfg["num_heads"], *(q[i] for i in axes), *(k[i] for i in axes))

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        q, _, k = self.check(inputs)
        out = (*q[:-1], *self.output_size(q))
        if self.cfg["return_attention_scores"]:
            return [out, self.scores_shape(q, k)]
        return out

    def projections(self, inputs: list[Shape]) -> list[tuple[str, Any, Any, tuple]]:
        """(name, input features, head size, output dims) of each EinsumDense projection, in
        the order Keras creates them."""
        q, v, k = self.check(inputs)
        h, dk, dv = self.cfg["num_heads"], self.cfg["key_dim"], self.value_size
        out = [("query", q[-1], dk, (h, dk)), ("key", k[-1], dk, (h, dk))]
        if self.cfg["use_gate"]:
            out.append(("gate", q[-1], dv, (h, dv)))
        out.append(("value", v[-1], dv, (h, dv)))
        return out

    def notes_projections(self, inputs: list[Shape], f: Any) -> list[tuple[str, Any]]:
        """(inputs + 1) x heads x head size per projection, the output projection last."""
        feats = list(self.output_size(inputs[0]))
        return _projection_forms(self, inputs, f, self.cfg["num_heads"], self.value_size, feats)

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        return f.add(*(form for _, form in self.notes_projections(inputs, f)))

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        bias = self.cfg["use_bias"]
        ws = []
        for name, n_in, _, dims in self.projections(inputs):
            ws.append(Weight(f"{name}/kernel", (n_in, *dims)))
            if bias:
                ws.append(Weight(f"{name}/bias", dims))
        out = self.output_size(inputs[0])
        ws.append(Weight("attention_output/kernel", (self.cfg["num_heads"], self.value_size, *out)))
        if bias:
            ws.append(Weight("attention_output/bias", tuple(out)))
        return ws


def _axes_arg(v: Any) -> Any:
    if v is None:
        return None
    if F.is_int(v):
        return (v,)
    if isinstance(v, (list, tuple)) and v and all(F.is_int(a) for a in v):
        return tuple(v)
    raise ArgError(f"expected an axis or a tuple of axes, got {describe_value(v)}")


class GroupQueryAttention(AttentionBase):
    """Grouped-query attention: num_query_heads query projections share num_key_value_heads
    key and value projections; the output projection maps back to the query's features."""

    keras_name = "GroupQueryAttention"
    SEPARATE_INPUTS = True
    ARGS = (
        Arg("head_dim", convert=int_arg(1)),
        Arg("num_query_heads", convert=int_arg(1)),
        Arg("num_key_value_heads", convert=int_arg(1)),
        Arg("dropout", 0.0, float_arg(0.0, 1.0)),
        Arg("use_bias", True, bool_arg),
        Arg("sliding_window", None, int_arg(1, allow_none=True)),
        Arg("flash_attention", None, any_arg),
        *_INIT,
        Arg("use_gate", False, bool_arg),
        Arg("seed", None, any_arg),
        *_CALL_FLAGS,
    )
    example = ("GroupQueryAttention(4, 4, 2)", [(6, 8), (5, 8)])

    def validate(self) -> None:
        c = self.cfg
        if F.is_int(c["num_query_heads"]) and F.is_int(c["num_key_value_heads"]) and \
                c["num_query_heads"] % c["num_key_value_heads"]:
            raise ArgError("num_query_heads must be divisible by num_key_value_heads")

    def check(self, inputs: list[Shape]) -> tuple[Shape, Shape, Shape]:
        q, v, k = self.qvk(inputs)
        for s, what in ((q, "query"), (v, "value"), (k, "key")):
            self.require_rank(s, 3, what=what)
            _known_features(self, s, what)
        if q[-1] != v[-1]:
            raise self.refuse(f"the query {fmt_shape(q)} and the value {fmt_shape(v)} need the same last axis")
        if tuple(v[1:-1]) != tuple(k[1:-1]):
            raise self.refuse(f"the value {fmt_shape(v)} and the key {fmt_shape(k)} must agree on every axis but the last")
        return q, v, k

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        q, _, k = self.check(inputs)
        if self.cfg["return_attention_scores"]:
            return [tuple(q), (q[0], self.cfg["num_query_heads"], q[1], k[1])]
        return tuple(q)

    def projections(self, inputs: list[Shape]) -> list[tuple[str, Any, Any, tuple]]:
        q, v, k = self.check(inputs)
        c = self.cfg
        hd, hq, hkv = c["head_dim"], c["num_query_heads"], c["num_key_value_heads"]
        out = [("query", q[-1], hd, (hq, hd)), ("key", k[-1], hd, (hkv, hd))]
        if c["use_gate"]:
            out.append(("gate", q[-1], hd, (hq, hd)))
        out.append(("value", v[-1], hd, (hkv, hd)))
        return out

    def notes_projections(self, inputs: list[Shape], f: Any) -> list[tuple[str, Any]]:
        return _projection_forms(self, inputs, f, self.cfg["num_query_heads"], self.cfg["head_dim"],
                                 [inputs[0][-1]])

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        return f.add(*(form for _, form in self.notes_projections(inputs, f)))

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        bias = self.cfg["use_bias"]
        ws = []
        for name, n_in, _, dims in self.projections(inputs):
            ws.append(Weight(f"{name}/kernel", (n_in, *dims)))
            if bias:
                ws.append(Weight(f"{name}/bias", dims))
        d = inputs[0][-1]
        ws.append(Weight("attention_output/kernel", (self.cfg["num_query_heads"], self.cfg["head_dim"], d)))
        if bias:
            ws.append(Weight("attention_output/bias", (d,)))
        return ws


class Attention(AttentionBase):
    """Dot-product (Luong) attention without projections: scores = query . key^T (x scale);
    one scalar weight each for use_scale and score_mode='concat'."""

    keras_name = "Attention"
    ARGS: ClassVar[tuple[Arg, ...]] = (
        Arg("use_scale", False, bool_arg),
        Arg("score_mode", "dot", choice_arg("dot", "concat")),
        Arg("dropout", 0.0, float_arg(0.0, 1.0)),
        Arg("seed", None, any_arg),
        *_CALL_FLAGS,
    )
    example = ("Attention(use_scale=True)", [(6, 4), (5, 4)])

    def check(self, inputs: list[Shape]) -> tuple[Shape, Shape, Shape]:
        q, v, k = self.qvk(inputs)
        for s in (q, v, k):
            self.require_min_rank(s, 3)
        if q[-1] is not None and k[-1] is not None and q[-1] != k[-1]:
            raise self.refuse(f"the query {fmt_shape(q)} and the key {fmt_shape(k)} need the same last axis")
        if k[-2] is not None and v[-2] is not None and k[-2] != v[-2]:
            raise self.refuse(f"the key {fmt_shape(k)} and the value {fmt_shape(v)} need the same number of steps")
        return q, v, k

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        q, v, k = self.check(inputs)
        out = (*q[:-1], v[-1])
        if self.cfg["return_attention_scores"]:
            return [out, (*q[:-1], k[-2])]
        return out

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        ws = []
        if self.cfg["use_scale"]:
            ws.append(Weight("scale", ()))
        if self.cfg["score_mode"] == "concat":
            ws.append(Weight("concat_score_weight", ()))
        return ws


class AdditiveAttention(Attention):
    """Bahdanau attention: scores = sum(scale * tanh(query + key)); scale has one weight per
    feature (use_scale=True, the default)."""

    keras_name = "AdditiveAttention"
    ARGS = (
        Arg("use_scale", True, bool_arg),
        Arg("dropout", 0.0, float_arg(0.0, 1.0)),
        *_CALL_FLAGS,
    )
    example = ("AdditiveAttention()", [(6, 4), (5, 4)])

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        self.check(inputs)
        return [Weight("scale", (inputs[0][-1],))] if self.cfg["use_scale"] else []
