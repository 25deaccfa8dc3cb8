"""Memory estimates: weights by dtype, activations for a batch, and a training estimate.

- weights = every parameter (trainable or not) x bytes per variable;
- activations = every layer's output (model inputs included) for ``batch_size`` samples x
  bytes per activation: what training keeps for the backward pass;
- training = weights + gradients (one per trainable parameter) + optimizer slots (per
  trainable parameter: Adam 2, SGD with momentum 1, RMSprop 1, ...) + activations.

``mixed`` is Keras's mixed precision (``mixed_float16``/``mixed_bfloat16``): variables,
gradients and optimizer slots stay float32, activations are 16-bit. An axis of unknown size
(a sequence of any length) is counted as 1, and the estimate is marked *per step*.
The numbers are estimates of what the model itself needs; a framework adds workspace,
fragmentation and temporary buffers on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archcalc.compile_spec import read_object
from archcalc.layers.formulas import prod

#: dtype name -> (bytes per variable: weights, gradients, slots; bytes per activation)
DTYPES: dict[str, tuple[int, int]] = {
    "float32": (4, 4),
    "float16": (2, 2),
    "bfloat16": (2, 2),
    "mixed": (4, 2),
}

#: optimizer name (lower case, as compile() accepts it) -> slot variables per trainable weight
#: (Keras 3's optimizers/*.py build()); options that add slots are handled in optimizer_slots
OPTIMIZER_SLOTS: dict[str, int] = {
    "sgd": 0,  # 1 with momentum > 0
    "adam": 2,  # 3 with amsgrad=True
    "adamw": 2,  # 3 with amsgrad=True
    "nadam": 2,
    "adamax": 2,
    "lamb": 2,
    "rmsprop": 1,  # +1 with momentum > 0, +1 with centered=True
    "adagrad": 1,
    "adadelta": 2,
    "ftrl": 2,
    "lion": 1,
    "adafactor": 1,  # plus factored row/column statistics, small and not counted
    "muon": 2,  # momentum for all, an Adam velocity for the weights it leaves to AdamW
    "schedulefreeadamw": 2,
}


@dataclass(frozen=True)
class Optimizer:
    """The compiled optimizer as far as memory is concerned."""

    name: str | None
    slots: int
    note: str = ""


def optimizer_slots(spec: Any) -> Optimizer:
    """Read compile's ``optimizer`` in any form a front-end keeps: 'adam', 'SGD(momentum=0.9)',
    {'class_name': 'Adam', 'config': {...}} (Keras's serialisation), {'sgd': {'momentum': 0.9}}
    or {'name': 'rmsprop', 'centered': True}."""
    if spec is None:
        return Optimizer(None, 0, "no optimizer compiled: gradients only")
    opt = read_object(spec, "optimizers")
    name, config = (opt.name, opt.kwargs) if opt is not None else (None, {})
    if name is None:
        return Optimizer(str(spec), 0, "unrecognised optimizer: slots not counted")
    key = name.lower().replace("_", "")
    base = OPTIMIZER_SLOTS.get(key)
    if base is None:
        return Optimizer(name, 0, f"unknown optimizer '{name}': slots not counted")
    slots = base
    if key == "sgd" and _num(config.get("momentum", 0)) > 0:
        slots += 1
    if key in ("adam", "adamw") and config.get("amsgrad") is True:
        slots += 1
    if key == "rmsprop":
        slots += (_num(config.get("momentum", 0)) > 0) + (config.get("centered") is True)
    return Optimizer(key, slots)


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


#: what each memory figure holds (the JSON report's ``memory.includes``, the README's table)
MEMORY_LABELS = {
    "weights_bytes": "every parameter, trainable or not, at the variables' dtype",
    "activations_bytes": "every layer's output (model inputs included) for the batch: what training "
                         "keeps for the backward pass",
    "gradients_bytes": "one gradient per trainable parameter",
    "optimizer_bytes": "the optimizer's slot variables per trainable parameter",
    "training_bytes": "weights + gradients + optimizer slots + activations",
}


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes for weights, gradients, optimizer slots and stored activations."""

    dtype: str
    batch_size: int
    params: Any
    trainable_params: Any
    activation_values: Any  # per sample
    optimizer: Optimizer
    per_step: bool = False

    @property
    def variable_bytes(self) -> int:
        return DTYPES[self.dtype][0]

    @property
    def activation_bytes_per_value(self) -> int:
        return DTYPES[self.dtype][1]

    @property
    def weights(self) -> Any:
        return self.params * self.variable_bytes

    @property
    def gradients(self) -> Any:
        return self.trainable_params * self.variable_bytes

    @property
    def optimizer_state(self) -> Any:
        return self.trainable_params * self.optimizer.slots * self.variable_bytes

    @property
    def activations(self) -> Any:
        return self.activation_values * self.batch_size * self.activation_bytes_per_value

    @property
    def training(self) -> Any:
        return self.weights + self.gradients + self.optimizer_state + self.activations

    def as_dict(self) -> dict[str, Any]:
        """The estimate as JSON-ready values (bytes)."""
        out: dict[str, Any] = {
            "dtype": self.dtype,
            "batch_size": self.batch_size,
            "weights_bytes": self.weights,
            "activations_bytes": self.activations,
            "gradients_bytes": self.gradients,
            "optimizer": self.optimizer.name,
            "optimizer_slots": self.optimizer.slots,
            "optimizer_bytes": self.optimizer_state,
            "training_bytes": self.training,
        }
        if self.per_step:
            out["per_step"] = True
        out["includes"] = dict(MEMORY_LABELS)
        return out

    def formula(self) -> list[str]:
        """The training estimate written out, one term per line (for explain)."""
        v, a = self.variable_bytes, self.activation_bytes_per_value
        return [
            f"weights     = params x {v} B = {self.params} x {v} = {self.weights}",
            f"gradients   = trainable x {v} B = {self.trainable_params} x {v} = {self.gradients}",
            f"optimizer   = trainable x slots x {v} B = {self.trainable_params} x "
            f"{self.optimizer.slots} x {v} = {self.optimizer_state}",
            f"activations = values per sample x batch x {a} B = {self.activation_values} x "
            f"{self.batch_size} x {a} = {self.activations}",
            f"training    = {self.weights} + {self.gradients} + {self.optimizer_state} + "
            f"{self.activations} = {self.training}",
        ]


def row_activation_values(row: Any) -> tuple[Any, bool]:
    """(values per sample in one row's outputs, whether an unknown size was counted as 1)."""
    total: Any = 0
    unknown = False
    for shape in row.output_shapes():
        dims = shape[1:]
        if any(d is None for d in dims):
            unknown = True
            dims = [1 if d is None else d for d in dims]
        total = total + prod(dims)
    return total, unknown


def activation_values(analysis: Any) -> tuple[Any, bool]:
    """(values per sample in every layer output, inputs included; an unknown size counted)."""
    total: Any = 0
    unknown = False
    for row in analysis.rows:
        values, step = row_activation_values(row)
        total = total + values
        unknown = unknown or step
    return total, unknown


def estimate(analysis: Any, dtype: str = "float32", batch_size: int = 1) -> MemoryEstimate:
    """Memory for an :class:`archcalc.engine.Analysis` at a dtype and batch size."""
    if dtype not in DTYPES:
        raise ValueError(f"unknown dtype {dtype!r}; expected one of {', '.join(DTYPES)}")
    values, unknown = activation_values(analysis)
    compiled = analysis.graph.compile or {}
    return MemoryEstimate(
        dtype=dtype,
        batch_size=batch_size,
        params=analysis.total_params,
        trainable_params=analysis.trainable_params,
        activation_values=values,
        optimizer=optimizer_slots(compiled.get("optimizer")),
        per_step=unknown,
    )


# --- budgets ------------------------------------------------------------------------------

_BYTE_UNITS = {
    "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
    "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40,
}


def parse_bytes(value: Any) -> int:
    """A size written for humans, as in a ``budget:`` block: 1048576, '25 MB', '1.5GiB'."""
    if isinstance(value, bool):
        raise ValueError(f"expected a size such as 25MB, got {value!r}")
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip().lower().replace(",", "").replace("_", "")
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz ")
    unit = text[len(number):].strip() or "b"
    if unit not in _BYTE_UNITS:
        raise ValueError(f"unknown size unit '{unit}' in {value!r}; use B, KB, MB, GB, KiB, MiB or GiB")
    try:
        return int(round(float(number) * _BYTE_UNITS[unit]))
    except ValueError:
        raise ValueError(f"expected a size such as 25MB, got {value!r}") from None


def budget_measures(analysis: Any, dtype: str = "float32", batch_size: int = 1) -> dict[str, Any]:
    """What a ``budget:`` block can bound, by key: params, macs, flops and the memory terms
    (bytes). Lint compares these with the limits (parsed by cost.parse_count / parse_bytes)."""

    cost = analysis.cost
    mem = estimate(analysis, dtype, batch_size)
    return {
        "params": analysis.total_params,
        "trainable_params": analysis.trainable_params,
        "macs": cost.macs,
        "flops": cost.flops,
        "weights_bytes": mem.weights,
        "activations_bytes": mem.activations,
        "training_bytes": mem.training,
    }
