"""Graph -> idiomatic Keras 3 Python code.

A chain becomes ``keras.Sequential([...])``; anything else uses the functional API.
Arguments are written as the user gave them (``LayerType.given``): required arguments
positionally, the rest as keywords. A layer gets ``name=`` only where Keras's own
automatic name (``dense``, ``dense_1``, ...) would differ from archcalc's node name, so
the generated model's layer names are archcalc's names. Nothing here imports Keras.
"""

from __future__ import annotations

import builtins
import keyword
import re
from typing import Any

from archcalc.compile_spec import read_compile
from archcalc.errors import UsageError
from archcalc.graph import Graph, Node
from archcalc.layers.base import REQUIRED, LayerType
from archcalc.layers.ops import Op
from archcalc.readers.builder import free_name, keras_auto_name, to_snake_case

from .helper_layers import SOURCES as HELPER_SOURCES
from .helper_layers import source as helper_source

#: keyword arguments that describe the input, which the code declares with keras.Input
INPUT_KWARGS = ("input_shape", "input_dim", "batch_size", "batch_input_shape")
WIDTH = 88
INDENT = "    "
STYLES = ("auto", "sequential", "functional")
#: names the generated code itself uses
_RESERVED = {"keras", "layers", "model", "x"}


# --- literals ------------------------------------------------------------------------------

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


# --- Keras's automatic names -----------------------------------------------------------------

class KerasNames:
    """Simulates Keras's per-prefix counters (keras.src.utils.naming.uniquify)."""

    def __init__(self) -> None:
        self.uids: dict[str, int] = {}

    def auto(self, class_name: str) -> str:
        return keras_auto_name(class_name, self.uids)

    def peek(self, class_name: str) -> str:
        return keras_auto_name(class_name, self.uids, advance=False)

    def construct(self, layer: LayerType, want: str | None) -> bool:
        """Account for constructing ``layer`` (nested layers first, as Python evaluates the
        arguments) that should be called ``want``; True when Keras's automatic name is
        ``want`` already, so the code can leave ``name=`` out."""
        for v in layer.given.values():
            if isinstance(v, LayerType):
                self.construct(v, None)
        if layer.given.get("name") not in (None, want):
            return False
        if want is None or self.peek(layer.keras_name) == want:
            self.auto(layer.keras_name)
            return True
        return False


# --- the code ----------------------------------------------------------------------------------

def _wrap_call(head: str, parts: list[str], tail: str = ")", indent: str = "") -> str:
    """``head(a, b)`` on one line when it fits, else one argument per line."""
    one = f"{indent}{head}{', '.join(parts)}{tail}"
    if len(one) <= WIDTH or not parts:
        return one
    inner = indent + INDENT
    return f"{indent}{head}\n" + "".join(f"{inner}{p},\n" for p in parts) + f"{indent}{tail}"


def _split_call(call: str) -> tuple[str, list[str]]:
    """Split ``f(a, b=(1, 2))`` into ``"f("`` and top-level argument texts."""
    head, _, rest = call.partition("(")
    body = rest[:-1]
    parts, depth, cur, quote = [], 0, "", None
    for ch in body:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return head + "(", parts


def _statement(lhs: str, call: str, call_args: str = "", indent: str = "") -> str:
    """``lhs = call(call_args)`` wrapped to WIDTH (a trailing ``  # comment`` kept last)."""
    call, _, comment = call.partition("  # ")
    comment = f"  # {comment}" if comment else ""
    text = f"{indent}{lhs}{call}{call_args}"
    if len(text) + len(comment) <= WIDTH or "(" not in call:
        return text + comment
    head, parts = _split_call(call)
    return _wrap_call(f"{lhs}{head}", parts, ")" + call_args, indent) + comment


def concrete_dims(shape: Any) -> tuple:
    """A shape with symbolic sizes (``H``, ``W``) as None: Keras's unknown size."""
    return tuple(d if d is None or isinstance(d, int) else None for d in shape)


def _input_call(node: Node, with_name: bool) -> str:
    full = tuple(node.shape or (None,))
    parts = [f"shape={literal(concrete_dims(full[1:]))}"]
    if isinstance(full[0], int):
        parts.append(f"batch_size={full[0]}")
    if with_name:
        parts.append(f"name={literal(node.name)}")
    call = f"keras.Input({', '.join(parts)})"
    symbols = [str(d) for d in full[1:] if d is not None and not isinstance(d, int)]
    if symbols:
        call += f"  # any {', '.join(symbols)}"
    return call


def _input_needs_name(names: KerasNames, node: Node, single: bool) -> bool:
    auto = names.auto("InputLayer")
    if single and node.name == "input":
        return False  # archcalc's name for a spec's one unnamed input
    return node.name != auto


def compile_lines(graph: Graph) -> list[str]:
    if not graph.compile:
        return []
    parts = read_compile(graph.compile).source_parts(literal)
    return ["", _wrap_call("model.compile(", parts)]


def _variable_names(graph: Graph, reserved: set[str]) -> dict[str, str]:
    """A unique, valid Python identifier for each node."""
    taken = set(reserved)
    out: dict[str, str] = {}
    for name, node in graph.nodes.items():
        if node.is_input and len(graph.inputs) == 1 and name == "input":
            out[name] = _unique("inputs", taken)
        else:
            out[name] = _unique(re.sub(r"\W", "_", name), taken, prefix="layer_")
    return out


def choose_style(graph: Graph, style: str = "auto") -> str:
    if style not in STYLES:
        raise UsageError(f"unknown style '{style}'", hint="use one of: " + ", ".join(STYLES))
    if style != "sequential" and any(isinstance(n.layer, Op) for n in graph.nodes.values()):
        return "functional"  # operations are applied to tensors
    chain = graph.is_chain()
    if style == "sequential" and not chain:
        raise UsageError(
            f"'{graph.name}' is not a plain stack of layers, so it cannot be written as keras.Sequential",
            hint="use --style functional (or auto)",
        )
    if style == "auto":
        return "sequential" if chain else "functional"
    return style


def helper_names(graph: Graph) -> list[str]:
    """The helper layer classes (LayerScale, StochasticDepth, Sampling) a graph uses,
    nested models and wrapped layers included."""
    found: list[str] = []

    def visit(layer: Any) -> None:
        if not isinstance(layer, LayerType):
            return
        if is_nested(layer):
            found.extend(helper_names(layer.cfg["graph"]))
        elif layer.keras_name in HELPER_SOURCES:
            found.append(layer.keras_name)
        for v in layer.given.values():
            visit(v)

    for node in graph.nodes.values():
        visit(node.layer)
    return sorted(set(found))


def _header(graph: Graph) -> list[str]:
    title = f'"""{graph.name}: Keras model generated by archcalc from {graph.path}."""'
    if len(title) > WIDTH:
        title = f'"""{graph.name}: Keras model generated by archcalc."""'
    if len(title) > WIDTH or '"' in graph.name or "\\" in graph.name:
        title = '"""Keras model generated by archcalc."""'
    lines = [title, "", "import keras", "from keras import layers", ""]
    helpers = helper_names(graph)
    if helpers:  # classes keras.layers does not have, defined by the code itself
        lines += ["", helper_source(helpers), "", ""]
    own = _user_classes(graph)
    if own:
        lines += ["", f"# the layer classes of {own[0][0]}, as written there", "\n\n\n".join(c for _, c in own), "", ""]
    return lines


def _user_classes(graph: Graph) -> list[tuple[str, str]]:
    """(file, code) of each of the user's own layer classes the model uses, nested models'
    included, each once."""
    out: dict[str, tuple[str, str]] = {}
    for node in graph.nodes.values():
        if is_nested(node.layer):
            assert node.layer is not None
            for path, code in _user_classes(node.layer.cfg["graph"]):
                out.setdefault(code, (path, code))
        origin = user_class(node.layer)
        if origin is not None and origin["code"]:
            out.setdefault(origin["code"], (origin["path"], origin["code"]))
    return list(out.values())


def _model_name_arg(graph: Graph) -> list[str]:
    return [f"name={literal(graph.name)}"] if graph.name and "/" not in graph.name else []


def is_nested(layer: LayerType | None) -> bool:
    """A whole model used as a layer (archcalc.nested_model.NestedModel)."""
    return layer is not None and layer.family == "nested" and "graph" in layer.cfg


class _Ctx:
    """State shared while writing one file: Keras's name counters and nested models."""

    def __init__(self) -> None:
        self.names = KerasNames()
        self.models: dict[int, str] = {}  # id(NestedModel layer) -> its variable
        self.taken: set[str] = set(_RESERVED)
        self.lines: list[str] = []


def generate(graph: Graph, style: str = "auto") -> str:
    """Keras 3 source code that builds ``graph`` and binds it to ``model``."""
    style = choose_style(graph, style)
    ctx = _Ctx()
    body = _model_lines(graph, style, "model", ctx)
    lines = _header(graph) + ctx.lines + body + compile_lines(graph)
    return "\n".join(lines) + "\n"


def _application_lines(layer: Any, var: str) -> list[str]:
    """``base = keras.applications.MobileNetV2(...)``: a keras.applications model of a transfer
    model, with its options and without downloading weights."""
    parts = [f"{k}={literal(tuple(v) if isinstance(v, list) else v)}" for k, v in layer.options.items()]
    parts.append("weights=None")
    if "name" in (p[0] for p in layer.entry.get("params", [])):
        parts.append(f"name={literal(layer.cfg['name'])}")
    lines = ['# weights=None: the architecture only; weights="imagenet" downloads the trained ones',
             _wrap_call(f"{var} = keras.applications.{layer.builder}(", parts)]
    if not layer.trainable:
        lines.append(f"{var}.trainable = False")
    return lines


def _model_lines(graph: Graph, style: str, target: str, ctx: _Ctx) -> list[str]:
    from archcalc.readers.python.applications import is_application

    # a nested model is written first, as its own variable, then called like a layer
    for node in graph.nodes.values():
        if is_application(node.layer) and not node.shared_with and id(node.layer) not in ctx.models:
            var = _unique(re.sub(r"\W", "_", node.name) or "base", ctx.taken)
            ctx.models[id(node.layer)] = var
            ctx.lines += _application_lines(node.layer, var) + [""]
        if is_nested(node.layer) and not node.shared_with and id(node.layer) not in ctx.models:
            assert node.layer is not None
            inner: Graph = node.layer.cfg["graph"]
            var = _unique(re.sub(r"\W", "_", inner.name or "submodel"), ctx.taken)
            ctx.models[id(node.layer)] = var
            ctx.lines += _model_lines(inner, choose_style(inner), var, ctx) + [""]
    if style == "sequential":
        return _sequential(graph, ctx, target)
    return _functional(graph, ctx, target)


def _unique(var: str, taken: set[str], prefix: str = "model_") -> str:
    """``var`` made a valid identifier that is not a keyword, builtin or taken name."""
    if not var or var[0].isdigit():
        var = prefix + var
    if keyword.iskeyword(var) or var in dir(builtins):
        var += "_"
    var = free_name(var, taken)
    taken.add(var)
    return var


def _named_call(ctx: _Ctx, node: Node) -> str:
    assert node.layer is not None
    if id(node.layer) in ctx.models:  # a nested model or a keras.applications one
        return ctx.models[id(node.layer)]
    names = ctx.names
    auto = names.construct(node.layer, node.name)
    return layer_call(node.layer, name=None if auto else node.name)


def _sequential(graph: Graph, ctx: _Ctx, target: str) -> list[str]:
    items = []
    for node in graph.nodes.values():
        if node.is_input:
            items.append(_input_call(node, _input_needs_name(ctx.names, node, True)))
        else:
            items.append(_named_call(ctx, node))
    body = [_statement("", item, ",", INDENT * 2) for item in items]
    name = _model_name_arg(graph)
    return [f"{target} = keras.Sequential(", f"{INDENT}[", *body, f"{INDENT}],",
            *[f"{INDENT}{n}," for n in name], ")"]


def _functional(graph: Graph, ctx: _Ctx, target: str) -> list[str]:
    from archcalc.engine import topological_order

    names = ctx.names
    model_var = target
    order = topological_order(graph)
    var = _variable_names(graph, ctx.taken | {target})
    readers: dict[str, list[str]] = {n: [] for n in graph.nodes}
    for node in graph.nodes.values():
        for src in node.inputs:
            readers[src].append(node.name)
    # a node read only by the very next layer, and not an output, flows through `x`
    flows: set[str] = set()
    for i, node in enumerate(order[:-1]):
        nxt = order[i + 1]
        if (not node.is_input and readers[node.name] == [nxt.name] and nxt.inputs == [node.name]
                and node.name not in graph.outputs and not _user_named_node(node, graph)):
            flows.add(node.name)
    shared_roots = {n.shared_with for n in graph.nodes.values() if n.shared_with}
    lines: list[str] = []
    for node in order:
        if node.is_input:
            call = _input_call(node, _input_needs_name(names, node, len(graph.inputs) == 1))
            lines.append(_statement(f"{var[node.name]} = ", call))
            continue
        out = "x" if node.name in flows else var[node.name]
        srcs = [("x" if s in flows else var[s]) + ("" if i is None else f"[{i}]") for s, i in node.sources()]
        arg = f"[{', '.join(srcs)}]" if node.list_input or len(srcs) != 1 else srcs[0]
        assert node.layer is not None
        if isinstance(node.layer, Op):  # x + 3.0, keras.ops.mean(x, axis=1): an operation
            lines.append(f"{out} = {node.layer.code(srcs)}")
            continue
        if id(node.layer) not in ctx.models:
            arg = call_text(node.layer, srcs, node.list_input)[1:-1]
        if id(node.layer) in ctx.models:  # a model variable, called like a layer
            lines.append(f"{out} = {ctx.models[id(node.layer)]}({arg})")
        elif node.shared_with:
            layer_var = var[node.shared_with] + "_layer"
            lines.append(f"{out} = {layer_var}({arg})")
        elif node.name in shared_roots:
            layer_var = var[node.name] + "_layer"
            lines.append(_statement(f"{layer_var} = ", _named_call(ctx, node)))
            lines.append(f"{out} = {layer_var}({arg})")
        else:
            lines.append(_statement(f"{out} = ", _named_call(ctx, node), f"({arg})"))
    ins = [var[n] for n in graph.inputs]
    out_index = graph.output_index or [None] * len(graph.outputs)
    outs = [("x" if n in flows else var[n]) + ("" if i is None else f"[{i}]")
            for n, i in zip(graph.outputs, out_index, strict=True)]
    parts = [
        "inputs=" + (ins[0] if len(ins) == 1 else f"[{', '.join(ins)}]"),
        "outputs=" + (outs[0] if len(outs) == 1 else f"[{', '.join(outs)}]"),
        *_model_name_arg(graph),
    ]
    lines += ["", _wrap_call(f"{model_var} = keras.Model(", parts)]
    return lines


def _user_named_node(node: Node, graph: Graph) -> bool:
    """A node whose name is not an automatic one (the reader will want its variable)."""
    assert node.layer is not None
    return re.fullmatch(re.escape(to_snake_case(node.layer.keras_name)) + r"(_\d+)?", node.name) is None
