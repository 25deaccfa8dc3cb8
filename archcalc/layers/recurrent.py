"""Recurrent layers and their wrappers: SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed.

Parameters follow Keras: gates x (input_dim x units + units x units + bias), where the bias
is one row per gate, except GRU with reset_after=True (Keras's default) which keeps two.
"""

from __future__ import annotations

from typing import Any

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
from archcalc.names import to_snake_case

_RNN_INIT = ignored(
    "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint",
)
#: the arguments a recurrent layer and its cell share (layers/rnn_cells.py), in Keras's order:
#: SimpleRNN / SimpleRNNCell take SIMPLE_ARGS; LSTM, GRU and their cells GATED_ARGS, then
#: LSTM's UNIT_FORGET_BIAS; the dropout flags (CELL_FLAGS) come next, GRU's RESET_AFTER last
SIMPLE_ARGS = (
    Arg("units", convert=int_arg(1)),
    Arg("activation", "tanh", activation_arg),
    Arg("use_bias", True, bool_arg),
    *_RNN_INIT,
)
GATED_ARGS = (
    Arg("units", convert=int_arg(1)),
    Arg("activation", "tanh", activation_arg),
    Arg("recurrent_activation", "sigmoid", activation_arg),
    Arg("use_bias", True, bool_arg),
    *_RNN_INIT,
)
UNIT_FORGET_BIAS = Arg("unit_forget_bias", True, bool_arg, keyword_only=True)
RESET_AFTER = Arg("reset_after", True, bool_arg, keyword_only=True)
CELL_FLAGS = (
    Arg("dropout", 0.0, float_arg(0.0, 1.0), keyword_only=True),
    Arg("recurrent_dropout", 0.0, float_arg(0.0, 1.0), keyword_only=True),
    Arg("seed", None, any_arg, keyword_only=True),
)
_FLAGS = (
    *CELL_FLAGS,
    Arg("return_sequences", False, bool_arg, keyword_only=True),
    Arg("return_state", False, bool_arg, keyword_only=True),
    Arg("go_backwards", False, bool_arg, keyword_only=True),
    Arg("stateful", False, bool_arg, keyword_only=True),
    Arg("unroll", False, bool_arg, keyword_only=True),
    Arg("use_cudnn", "auto", any_arg, keyword_only=True),
)


def gated_weights(layer: Any, n_in: Any) -> list[Weight]:
    """A recurrent layer's or cell's weights: kernel (n_in, G*u), recurrent kernel (u, G*u),
    and a bias of G*u (in ``bias_rows()`` rows: GRU's reset_after has 2). One place for the
    notes' G x u x (n + u + 1), used by SimpleRNN/LSTM/GRU and their cells alike."""
    units = layer.cfg["units"]
    gu = layer.GATES * units
    ws = [Weight("kernel", (n_in, gu)), Weight("recurrent_kernel", (units, gu))]
    if layer.cfg["use_bias"]:
        rows = layer.bias_rows()
        ws.append(Weight("bias", (gu,) if rows == 1 else (rows, gu)))
    return ws


class RNN(LayerType):
    """Base for SimpleRNN/LSTM/GRU: input (batch, time, features)."""

    family = "recurrent"
    GATES = 1
    N_STATES = 1
    #: the sequence, then optionally its initial states (``initial_state=[h, c]``)
    n_inputs = (1, None)

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        shape = inputs[0]
        self.require_rank(shape, 3)
        states = inputs[1:]
        if states:
            u0 = self.cfg["units"]
            if len(states) != self.N_STATES:
                raise self.refuse(f"{self.keras_name} has {self.N_STATES} state(s); initial_state gives "
                                  f"{len(states)}: {fmt_shape(states)}")
            for st in states:
                if len(st) != 2 or (st[-1] is not None and st[-1] != u0):
                    raise self.refuse(f"an initial state of {self.keras_name}({u0}) must be (batch, {u0}), "
                                      f"got {fmt_shape(st)}")
        if shape[-1] is None:
            raise self.refuse(f"the feature axis of the input {fmt_shape(shape)} must be known")
        u = self.cfg["units"]
        out = (shape[0], shape[1], u) if self.cfg["return_sequences"] else (shape[0], u)
        if self.cfg["return_state"]:
            return [out] + [(shape[0], u)] * self.N_STATES
        return out

    def bias_rows(self) -> int:
        return 1

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        """gates x units x (inputs + units + bias rows)."""
        n, u = inputs[0][-1], self.cfg["units"]
        rows = self.bias_rows() if self.cfg["use_bias"] else 0
        body = f.add(n, u, rows) if rows else f.add(n, u)
        return f.mul(u, body) if self.GATES == 1 else f.mul(self.GATES, u, body)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        return gated_weights(self, inputs[0][-1])

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None  # a recurrent state sees the whole past: no finite window


class SimpleRNN(RNN):
    """units x (input_dim + units + 1)."""

    keras_name = "SimpleRNN"
    GATES = 1
    ARGS = (*SIMPLE_ARGS, *_FLAGS)
    example = ("SimpleRNN(16, return_sequences=True)", (None, 10))


class LSTM(RNN):
    """4 x units x (input_dim + units + 1)."""

    keras_name = "LSTM"
    GATES = 4
    N_STATES = 2
    ARGS = (*GATED_ARGS, UNIT_FORGET_BIAS, *_FLAGS)
    example = ("LSTM(8)", (5, 3))


class GRU(RNN):
    """3 x units x (input_dim + units + 1), plus one more bias row with reset_after=True."""

    keras_name = "GRU"
    GATES = 3
    ARGS = (*GATED_ARGS, *_FLAGS, RESET_AFTER)
    example = ("GRU(6, reset_after=False)", (7, 4))

    def note_against_keras(self, inputs: list[Shape], check: Any) -> None:
        if not inputs:
            return
        u, n = self.cfg.get("units"), inputs[0][-1]
        if not (isinstance(u, int) and isinstance(n, int)) or not self.cfg.get("use_bias", True):
            return
        notes = 3 * u * (n + u + 1)
        if self.cfg.get("reset_after", True):
            check.note = (f"GRU reset_after=True (Keras's default) keeps two bias rows: "
                          f"3·{u}·({n}+{u}+2) = {3 * u * (n + u + 2):,}; the notes' formula "
                          f"3·{u}·({n}+{u}+1) = {notes:,} is reset_after=False")
            check.explained = (check.archcalc_trainable == notes
                               and check.keras_trainable == notes + 3 * u
                               and check.archcalc_non_trainable == check.keras_non_trainable)
        else:
            check.note = f"GRU reset_after=False: the notes' formula 3·{u}·({n}+{u}+1) = {notes:,}"

    def bias_rows(self) -> int:
        return 2 if self.cfg["reset_after"] else 1


def _layer_arg(v: Any, layer: Any) -> Any:
    if not isinstance(v, LayerType):
        raise ArgError(f"expected a layer such as LSTM(64), got {v!r}")
    return v


def _rnn_layer_arg(v: Any, layer: Any) -> Any:
    v = _layer_arg(v, layer)
    if not isinstance(v, RNN):
        raise ArgError(f"expected a recurrent layer (SimpleRNN, LSTM or GRU), got {v.keras_name}")
    return v


class Bidirectional(LayerType):
    """Runs the wrapped RNN forwards and backwards: twice its weights; concat doubles units."""

    keras_name = "Bidirectional"
    wraps_layer = "layer"
    family = "recurrent"
    ARGS = (
        Arg("layer", convert=_rnn_layer_arg),
        Arg("merge_mode", "concat", choice_arg("concat", "sum", "ave", "mul", None)),
        Arg("weights", None, any_arg),
        Arg("backward_layer", None, lambda v, lay: None if v is None else _rnn_layer_arg(v, lay)),
    )
    example = ("Bidirectional(LSTM(8, return_sequences=True))", (6, 3))

    def returns_sequences(self) -> bool:
        return self.cfg["layer"].returns_sequences()

    def validate(self) -> None:
        # Keras's _verify_layer_config: the directions differ in go_backwards (the default
        # backward layer is a copy with go_backwards=True) and agree on these flags
        fw, bw = self.cfg["layer"], self.cfg["backward_layer"]
        if fw.cfg["go_backwards"] == (True if bw is None else bw.cfg["go_backwards"]):
            raise ArgError(
                "the forward and backward layers need different go_backwards values"
                + (" (give the backward layer go_backwards=True)" if bw is not None else "")
            )
        for flag in ("stateful", "return_sequences", "return_state") if bw is not None else ():
            if fw.cfg[flag] != bw.cfg[flag]:
                raise ArgError(f"the forward and backward layers need the same {flag}")

    @property
    def backward(self) -> RNN:
        return self.cfg["backward_layer"] or self.cfg["layer"]

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        fw = self.cfg["layer"].output_shape(inputs)
        bw = self.backward.output_shape(inputs)
        states: list[Shape] = []
        if isinstance(fw, list):
            fw, states = fw[0], fw[1:] + bw[1:]
            bw = bw[0]
        if fw[-1] != bw[-1] and self.cfg["merge_mode"] != "concat":
            raise self.refuse(f"forward and backward layers give {fmt_shape(fw)} and {fmt_shape(bw)}")
        mode = self.cfg["merge_mode"]
        if mode is None:
            return [fw, bw, *states]
        out = (*fw[:-1], fw[-1] + bw[-1]) if mode == "concat" else fw
        return [out, *states] if states else out

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        """2 x the wrapped layer's count (a separate backward layer has no single form)."""
        inner = self.cfg["layer"].notes_params(inputs, f)
        return f.mul(2, inner) if self.cfg["backward_layer"] is None and inner is not None else None

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        fw = [Weight("forward_" + w.name, w.shape) for w in self.cfg["layer"].weights(inputs)]
        bw = [Weight("backward_" + w.name, w.shape) for w in self.backward.weights(inputs)]
        return fw + bw

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None

    def sublayers(self, inputs: list[Shape]) -> list[tuple[str, LayerType, list[Shape]]]:
        # Keras renames its copies forward_<name> and backward_<name>; a backward_layer
        # given explicitly keeps its own name
        fw, bw = self.cfg["layer"], self.cfg["backward_layer"]
        name = _inner_name(fw)
        back = _inner_name(bw) if bw is not None else "backward_" + name.removeprefix("backward_")
        return [("forward_" + name.removeprefix("forward_"), fw, inputs), (back, self.backward, inputs)]


def _inner_name(layer: LayerType) -> str:
    """A wrapped layer's name: the one given, else Keras's default (its snake_case class)."""
    return layer.cfg.get("name") or to_snake_case(layer.keras_name)


class TimeDistributed(LayerType):
    """Applies the wrapped layer to every time step: same weights, once."""

    keras_name = "TimeDistributed"
    wraps_layer = "layer"
    per_time_step = True
    family = "recurrent"
    ARGS = (Arg("layer", convert=_layer_arg),)
    example = ("TimeDistributed(Dense(5))", (4, 3))

    def _inner_shape(self, shape: Shape) -> Shape:
        if len(shape) < 3:
            raise self.refuse(
                f"needs an input of at least 3 dimensions (batch, time, ...), got {fmt_shape(shape)}"
            )
        return (shape[0], *shape[2:])

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        inner = self.cfg["layer"].output_shape([self._inner_shape(shape)])
        if isinstance(inner, list):
            raise self.refuse("the wrapped layer must have a single output")
        return (shape[0], shape[1], *inner[1:])

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        """The wrapped layer's count on one step."""
        return self.cfg["layer"].notes_params([(s[0], *s[2:]) for s in inputs], f)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        return self.cfg["layer"].weights([self._inner_shape(inputs[0])])

    def sublayers(self, inputs: list[Shape]) -> list[tuple[str, LayerType, list[Shape]]]:
        inner = self.cfg["layer"]
        return [(_inner_name(inner), inner, [self._inner_shape(inputs[0])])]

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None
