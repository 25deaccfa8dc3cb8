"""One layer as Keras 3 code: its constructor call (``layers.Conv2D(32, (3, 3),
activation="relu")``), the arguments of its call (``use_causal_mask``), and any value of a
spec as Python source (:func:`literal`).

Arguments are written as the user gave them (``LayerType.given``): required arguments
positionally, the rest as keywords, and none that only repeats Keras's default
(:func:`is_default`). A layer of the user's own class is written as the file wrote it; a
helper class archcalc defines (``helper_layers.py``) by its bare name. ``build.py`` asks here
too, so emit and to_keras agree. Nothing here imports Keras.
"""

from __future__ import annotations

from typing import Any

from archcalc.errors import UsageError
from archcalc.graph import Graph
from archcalc.layers.base import REQUIRED, LayerType
from archcalc.readers.builder import to_snake_case

from .helper_layers import SOURCES as HELPER_SOURCES

#: keyword arguments that describe the input, which the code declares with keras.Input
INPUT_KWARGS = ("input_shape", "input_dim", "batch_size", "batch_input_shape")


def literal(value: Any) -> str:
    """Python source for a value from a spec, with double-quoted strings (black style)."""
    if isinstance(value, LayerType):
        return layer_call(value)
    if isinstance(value, str):
        if '"' not in value and "\\" not in value and value.isprintable():
            return f'"{value}"'
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "free_symbols"):  # a sympy number left over from parameters
        return str(value)
    return repr(value)


def layer_args(layer: LayerType, drop: tuple[str, ...] = ("name",)) -> tuple[list[Any], dict[str, Any]]:
    """(positional, keyword) arguments as a person writes them.

    Required arguments go positionally, and so does a layer's first argument when it has
    no required one (``MaxPooling2D((2, 2))``, ``UpSampling2D((2, 2))``); all else by keyword.
    """
    positional_args = [a for a in layer.ARGS if not a.keyword_only]
    required = {a.name for a in positional_args if a.default is REQUIRED}
    if not required and positional_args:
        required = {positional_args[0].name}
    own = {a.name: a for a in layer.ARGS}
    # a leading argument is always kept: Keras may require one that archcalc defaults
    given = {k: v for k, v in layer.given.items()
             if k not in drop and (k in own or k not in INPUT_KWARGS)
             and (k in required or not is_default(k, v, own.get(k)))}
    args: list[Any] = []
    for a in positional_args:
        if a.name in required and a.name in given:
            args.append(given.pop(a.name))
        else:
            break
    return args, given


def check_no_constants(graph: Graph) -> None:
    """A model that reads a constant tensor made in its own code (``tf.zeros`` as an RNN cell's
    initial state) cannot be rebuilt as a Keras functional model: a UsageError naming it."""
    constants = [n.name for n in graph.nodes.values()
                 if n.is_input and n.meta.get("constant") and n.name not in graph.inputs]
    if constants:
        raise UsageError(
            f"the model reads a constant tensor made in its own code ('{constants[0]}': tf.zeros(...) or the "
            "like, e.g. an RNN cell's initial state), which a Keras functional model cannot take as an input",
            hint="archcalc summary reads this model; to rebuild it, pass the constant as a keras.Input",
        )


def call_kwargs(layer: LayerType) -> dict[str, Any]:
    """Arguments Keras takes when a layer is called, not made (``use_causal_mask``): the
    non-default ones, for the call."""
    names = getattr(layer, "CALL_ARGS", ())
    own = {a.name: a for a in layer.ARGS}
    return {k: v for k, v in layer.given.items() if k in names and not is_default(k, v, own.get(k))}


def call_text(layer: LayerType, srcs: list[str], list_input: bool) -> str:
    """The call's arguments: ``(x)``, ``([a, b])``, MultiHeadAttention's ``(query, value)``."""
    if getattr(layer, "SEPARATE_INPUTS", False):
        parts = list(srcs)
    else:
        parts = [f"[{', '.join(srcs)}]" if list_input or len(srcs) != 1 else srcs[0]]
    parts += [f"{k}={literal(v)}" for k, v in call_kwargs(layer).items()]
    return f"({', '.join(parts)})"


def user_class(layer: LayerType | None) -> dict[str, Any] | None:
    """The origin of a layer traced from the user's own Python class (its code and constructor
    arguments), when emit can write it; None for every other layer."""
    return getattr(layer, "origin", None) if is_traced(layer) else None


def is_traced(layer: LayerType | None) -> bool:
    return layer is not None and getattr(layer, "family", "") == "custom" and hasattr(layer, "_outputs")


def check_buildable(layer: LayerType, emit: bool = False) -> None:
    """A layer traced from the user's own Python class: ``emit`` copies the class's code from the
    file into the program it writes; archcalc itself never runs it (to_keras, verify, train).
    A layer of a library archcalc does not read has no code archcalc can write."""
    if getattr(layer, "family", "") == "opaque":
        raise UsageError(
            f"'{getattr(layer, 'var', layer.keras_name)}' comes from {layer.call_repr()}, a library archcalc "
            "does not read: its size and weights are named sizes, not a layer archcalc can build",
            hint="run the original Python file to build the model")
    if not is_traced(layer):
        return
    if emit and user_class(layer) is not None:
        return
    if emit:
        raise UsageError(
            f"'{layer.keras_name}' is a layer class of your own file that archcalc cannot copy on its own "
            "(it is defined in another module, uses values only running the file gives, or takes "
            "arguments that are not plain values)",
            hint="run the original Python file to build the model")
    raise UsageError(
        f"'{layer.keras_name}' is a layer class of your own file: archcalc reads its shapes and weights "
        "but never runs your code",
        hint="`archcalc emit` writes the model with your class's code; run that file to build it in Keras")


def layer_call(layer: LayerType, name: str | None = None, prefix: str = "layers.") -> str:
    """``layers.Conv2D(32, (3, 3), activation="relu", name="c1")``."""
    check_buildable(layer, emit=True)
    origin = user_class(layer)
    if origin is not None and "function" in origin:  # a Lambda: the function as the file wrote it
        named = f", name={literal(name)}" if name is not None else ""
        return f"{prefix}Lambda({origin['function']}{named})"
    if origin is not None:  # the user's own class, called with the arguments the file gave it
        parts = [literal(a) for a in origin["args"]]
        parts += [f"{k}={literal(v)}" for k, v in origin["kwargs"].items()]
        return f"{layer.keras_name}({', '.join(parts)})"
    args, kwargs = layer_args(layer, drop=("name", *getattr(layer, "CALL_ARGS", ())))
    if name is not None:
        kwargs["name"] = name
    parts = [literal_nested(a, prefix) for a in args]
    parts += [f"{k}={literal_nested(v, prefix)}" for k, v in kwargs.items()]
    own = "" if layer.keras_name in HELPER_SOURCES else prefix  # a class the code defines itself
    return f"{own}{layer.keras_name}({', '.join(parts)})"


def literal_nested(value: Any, prefix: str) -> str:
    if isinstance(value, LayerType):
        # a wrapped layer keeps the name the user gave it, if any
        return layer_call(value, name=value.given.get("name"), prefix=prefix)
    return literal(value)


#: Keras's default initializers by argument name (a saved config spells every one out)
DEFAULT_INITIALIZERS = {
    "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros",
    "recurrent_initializer": "orthogonal", "embeddings_initializer": "uniform",
    "gamma_initializer": "ones", "beta_initializer": "zeros",
    "moving_mean_initializer": "zeros", "moving_variance_initializer": "ones",
    "depthwise_initializer": "glorot_uniform", "pointwise_initializer": "glorot_uniform",
}


def _plain(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return tuple(_plain(x) for x in v)
    return v


def is_default(key: str, value: Any, arg: Any) -> bool:
    """Whether writing ``key=value`` would only repeat Keras's default (as a saved
    ``.keras``/``.json`` config does for every argument), so the code can leave it out."""
    if arg is not None and arg.default is not REQUIRED and not isinstance(value, LayerType):
        try:
            a, b = _plain(value), _plain(arg.default)
            if a == b and type(a) is type(b):
                return True
        except Exception:  # noqa: BLE001  (incomparable values: keep the argument)
            return False
    if key == "trainable" and value is True:
        return True
    if value is None and (key.endswith(("_regularizer", "_constraint"))
                          or key in ("quantization_config", "activity_regularizer", "dtype")):
        return True
    if isinstance(value, dict) and "class_name" in value:
        cls = to_snake_case(str(value["class_name"]))
        cfg = value.get("config") or {}
        if key == "dtype":
            return cls == "d_type_policy" and cfg.get("name") == "float32"
        if DEFAULT_INITIALIZERS.get(key) == cls and all(v is None for v in cfg.values()):
            return True
    return key == "dtype" and value == "float32"


def concrete_dims(shape: Any) -> tuple:
    """A shape with symbolic sizes (``H``, ``W``) as None: Keras's unknown size."""
    return tuple(d if d is None or isinstance(d, int) else None for d in shape)


def is_nested(layer: LayerType | None) -> bool:
    """A whole model used as a layer (archcalc.nested_model.NestedModel)."""
    return layer is not None and layer.family == "nested" and "graph" in layer.cfg
