"""Recurrent cells and the layers that run them: SimpleRNNCell, LSTMCell, GRUCell,
StackedRNNCells, RNN(cell), and the convolutional LSTMs ConvLSTM1D/2D/3D.

A cell is one time step: inside ``RNN(cell)`` (or a StackedRNNCells inside RNN), or called
by the program with its states (``out, states = cell(x_t, states)`` in a loop over the time
steps: one node per call, the weights counted once); a cell called on a tensor without its
states is refused, as in Keras (a cell's call needs them). A cell's weights are those of the matching layer: LSTMCell(u) inside RNN
has exactly LSTM(u)'s 4u(n + u + 1).
"""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.layers import formulas as F
from archcalc.layers.base import (
    DATA_FORMAT,
    RF,
    Arg,
    ArgError,
    LayerType,
    Shape,
    Weight,
    activation_arg,
    any_arg,
    bool_arg,
    channels_last,
    choice_arg,
    float_arg,
    fmt_shape,
    ignored,
    int_arg,
    tuple_arg,
)
from archcalc.layers.recurrent import (
    CELL_FLAGS,
    GATED_ARGS,
    RESET_AFTER,
    SIMPLE_ARGS,
    UNIT_FORGET_BIAS,
    gated_weights,
)


class Cell(LayerType):
    """One recurrent step: gates x (input x units + units x units + bias rows x units)."""

    family = "recurrent"
    GATES = 1
    N_STATES = 1
    #: True: the type is only used inside another layer (the parity test wraps its example)
    inner_only: ClassVar[bool] = True
    #: called by the program: the step's input and its states
    n_inputs: ClassVar[tuple[int, int | None]] = (1, 2)

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        """Called with its states (``out, states = cell(x_t, states)``, one step of a loop the
        program writes): the step's output and each new state; called without them, refused."""
        if len(inputs) < 2 or isinstance(self, StackedRNNCells):
            raise self.refuse(
                "a cell computes one time step and needs its states: run it with RNN(...)"
                if len(inputs) < 2 else "StackedRNNCells called step by step is not supported: run it with RNN(...)",
                hint=f"RNN({self.call_repr()})",
            )
        x, states = inputs[0], inputs[1:]
        self.require_rank(x, 2)
        if x[-1] is None:
            raise self.refuse(f"the feature axis of the step's input {fmt_shape(x)} must be known")
        sizes = self.state_sizes()
        if len(states) != len(sizes):
            raise self.refuse(f"it takes {len(sizes)} state tensor(s), got {len(states)}")
        for st, size in zip(states, sizes):
            if len(st) != 2 or (F.is_int(st[-1]) and F.is_int(size) and st[-1] != size):
                raise self.refuse(f"a state of shape {fmt_shape(st)} does not fit its units {size}: "
                                  f"each state is (batch, {size})")
        batch = x[0] if x[0] is not None else states[0][0]
        return [(batch, self.units), *((batch, size) for size in sizes)]

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        """The weights of a cell called by the program (as in RNN(cell)); built on the first call."""
        return self.cell_weights(inputs[0][-1])

    @property
    def units(self) -> Any:
        return self.cfg["units"]

    def state_sizes(self) -> list[Any]:
        return [self.cfg["units"]] * self.N_STATES

    def bias_rows(self) -> int:
        return 1

    def cell_weights(self, n_in: Any) -> list[Weight]:
        return gated_weights(self, n_in)

    def cells(self) -> list[Cell]:
        return [self]


class SimpleRNNCell(Cell):
    keras_name = "SimpleRNNCell"
    ARGS = (*SIMPLE_ARGS, *CELL_FLAGS)
    example = ("RNN(SimpleRNNCell(5))", (4, 3))


class LSTMCell(Cell):
    keras_name = "LSTMCell"
    GATES = 4
    N_STATES = 2
    n_inputs: ClassVar[tuple[int, int | None]] = (1, 3)
    ARGS = (*GATED_ARGS, UNIT_FORGET_BIAS, *CELL_FLAGS)
    example = ("RNN(LSTMCell(4))", (5, 3))


class GRUCell(Cell):
    keras_name = "GRUCell"
    GATES = 3
    ARGS = (*GATED_ARGS, *CELL_FLAGS, RESET_AFTER)
    example = ("RNN(GRUCell(4, reset_after=False))", (5, 3))

    def bias_rows(self) -> int:
        return 2 if self.cfg["reset_after"] else 1


def _cell_list(v: Any, layer: Any) -> Any:
    items = v if isinstance(v, (list, tuple)) else [v]
    if not items:
        raise ArgError("expected at least one cell")
    for c in items:
        if not isinstance(c, Cell):
            name = c.keras_name if isinstance(c, LayerType) else \
                str(c["class_name"]) if isinstance(c, dict) and "class_name" in c else describe_value(c)
            raise ArgError(f"expected RNN cells such as LSTMCell(8), got {name}")
    return tuple(items)


class StackedRNNCells(Cell):
    """Cells run one after the other within each time step: each reads the previous one's
    output; the states are every cell's states, in order."""

    keras_name = "StackedRNNCells"
    ARGS = (Arg("cells", convert=_cell_list),)
    example = ("RNN(StackedRNNCells([LSTMCell(4), GRUCell(3)]))", (5, 2))

    def cells(self) -> list[Cell]:
        return [c for cell in self.cfg["cells"] for c in cell.cells()]

    @property
    def units(self) -> Any:
        return self.cells()[-1].units

    def state_sizes(self) -> list[Any]:
        return [s for c in self.cells() for s in c.state_sizes()]

    def cell_weights(self, n_in: Any) -> list[Weight]:
        ws = []
        for i, c in enumerate(self.cells()):
            ws += [Weight(f"cell{i}/{w.name}", w.shape) for w in c.cell_weights(n_in)]
            n_in = c.units
        return ws


def _rnn_cell_arg(v: Any, layer: Any) -> Any:
    cells = _cell_list(v, layer)
    if len(cells) == 1:
        return cells[0]
    return StackedRNNCells.bind([list(cells)], {})


class GenericRNN(LayerType):
    """RNN(cell): runs the cell over the time axis (a list of cells is stacked)."""

    keras_name = "RNN"
    family = "recurrent"
    ARGS = (
        Arg("cell", convert=_rnn_cell_arg),
        Arg("return_sequences", False, bool_arg),
        Arg("return_state", False, bool_arg),
        Arg("go_backwards", False, bool_arg),
        Arg("stateful", False, bool_arg),
        Arg("unroll", False, bool_arg),
        Arg("zero_output_for_mask", False, bool_arg),
    )
    example = ("RNN(LSTMCell(6), return_sequences=True)", (5, 3))

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        shape = inputs[0]
        self.require_rank(shape, 3)
        if shape[-1] is None:
            raise self.refuse(f"the feature axis of the input {fmt_shape(shape)} must be known")
        cell = self.cfg["cell"]
        u = cell.units
        out = (shape[0], shape[1], u) if self.cfg["return_sequences"] else (shape[0], u)
        if self.cfg["return_state"]:
            return [out] + [(shape[0], s) for s in cell.state_sizes()]
        return out

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        return self.cfg["cell"].cell_weights(inputs[0][-1])

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


# --- ConvLSTM ------------------------------------------------------------------------------

class ConvLSTM(LayerType):
    """An LSTM whose four gates are convolutions: input (batch, time, *spatial, channels).
    kernel (*K, C, 4F), recurrent kernel (*K, F, 4F) ('same', stride 1), bias 4F."""

    family = "recurrent"
    RANK = 2
    ARGS = (
        Arg("filters", convert=int_arg(1)),
        Arg("kernel_size", convert=tuple_arg()),
        Arg("strides", 1, tuple_arg()),
        Arg("padding", "valid", choice_arg("valid", "same")),
        DATA_FORMAT,
        Arg("dilation_rate", 1, tuple_arg()),
        Arg("activation", "tanh", activation_arg),
        Arg("recurrent_activation", "sigmoid", activation_arg),
        Arg("use_bias", True, bool_arg),
        *ignored("kernel_initializer", "recurrent_initializer", "bias_initializer"),
        Arg("unit_forget_bias", True, bool_arg),
        *ignored("kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                 "kernel_constraint", "recurrent_constraint", "bias_constraint"),
        Arg("dropout", 0.0, float_arg(0.0, 1.0)),
        Arg("recurrent_dropout", 0.0, float_arg(0.0, 1.0)),
        Arg("seed", None, any_arg),
        Arg("return_sequences", False, bool_arg),
        Arg("return_state", False, bool_arg),
        Arg("go_backwards", False, bool_arg),
        Arg("stateful", False, bool_arg),
    )

    def validate(self) -> None:
        c = self.cfg
        if F.strided_and_dilated(c["strides"], c["dilation_rate"]):
            raise ArgError(
                f"strides {c['strides']} > 1 cannot be combined with dilation_rate {c['dilation_rate']} > 1"
            )

    def window(self) -> tuple[tuple, tuple, tuple, str]:
        c = self.cfg
        return c["kernel_size"], c["strides"], c["dilation_rate"], c["padding"]

    def split(self, shape: Shape) -> tuple[list[Any], Any]:
        """(spatial dims, channels) of one step (batch, *spatial, C) for the data_format."""
        if channels_last(self):
            return list(shape[1:-1]), shape[-1]
        return list(shape[2:]), shape[1]

    def join(self, batch: Any, spatial: list[Any], channels: Any) -> Shape:
        return (batch, *spatial, channels) if channels_last(self) else (batch, channels, *spatial)

    def step_shape(self, shape: Shape) -> Shape:
        """One time step of the input: (batch, *spatial, channels) (or channels first)."""
        self.require_rank(shape, self.RANK + 3)
        return (shape[0], *shape[2:])

    def state_shape(self, shape: Shape) -> Shape:
        step = self.step_shape(shape)
        spatial, ch = self.split(step)
        if ch is None:
            raise self.refuse(f"the channel axis of the input {fmt_shape(shape)} must be known")
        kernel, strides, dilation, padding = self.window()
        out = [F.conv_output_length(i, k, s, padding, d) for i, k, s, d in zip(spatial, kernel, strides, dilation)]
        if any(F.is_int(o) and o <= 0 for o in out):
            raise self.refuse(
                f"output size would be {tuple(out)}: kernel {kernel} does not fit the input {fmt_shape(shape)}",
                hint="use padding='same', a smaller kernel or stride, or a larger input",
            )
        return self.join(shape[0], out, self.cfg["filters"])

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        shape = inputs[0]
        state = self.state_shape(shape)
        out = (shape[0], shape[1], *state[1:]) if self.cfg["return_sequences"] else state
        return [out, state, state] if self.cfg["return_state"] else out

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        """4 gates x filters x (window x (inputs + state) + bias)."""
        _, ch = self.split(self.step_shape(inputs[0]))
        filters = self.cfg["filters"]
        window = f.mul(f.area(self.cfg["kernel_size"]), f.add(ch, filters))
        return f.mul(4, filters, f.add(window, 1)) if self.cfg["use_bias"] else f.mul(4, filters, window)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        _, ch = self.split(self.step_shape(inputs[0]))
        c = self.cfg
        k, f4 = c["kernel_size"], 4 * c["filters"]
        ws = [Weight("kernel", (*k, ch, f4)), Weight("recurrent_kernel", (*k, c["filters"], f4))]
        if c["use_bias"]:
            ws.append(Weight("bias", (f4,)))
        return ws

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None  # the state carries every earlier step


class ConvLSTM1D(ConvLSTM):
    keras_name = "ConvLSTM1D"
    RANK = 1
    example = ("ConvLSTM1D(4, 3, padding='same', return_sequences=True)", (5, 8, 2))


class ConvLSTM2D(ConvLSTM):
    keras_name = "ConvLSTM2D"
    RANK = 2
    example = ("ConvLSTM2D(4, 3)", (3, 8, 8, 2))


class ConvLSTM3D(ConvLSTM):
    keras_name = "ConvLSTM3D"
    RANK = 3
    example = ("ConvLSTM3D(2, 3, strides=2, return_state=True)", (2, 7, 7, 7, 1))


def describe_value(v: Any) -> str:
    """A value in an error message: short, never a whole config."""
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."
