"""Graph -> archcalc YAML spec text (``archcalc convert MODEL --to yaml``).

The spec reads back to the same shapes and parameter counts. Every layer is written as a
named entry with its Keras arguments (serialised Keras objects such as initializers, which
change no shape or count, are left out). Shared layers become shared calls
(``- dense_2: dense(b)``). A nested model (a model used as a layer) is written flat: its
layers are inlined with the nested model's name as prefix, and a second call of the same
model calls those layers again, so its weights still count once.
"""

from __future__ import annotations

import json
import re
from typing import Any

from archcalc.graph import Graph, Node
from archcalc.layers.base import LayerType
from archcalc.nested_model import NestedModel

_PLAIN = re.compile(r"^[A-Za-z_][\w]*\(.*\)$")
_SKIP = {"name", "dtype", "input_shape", "input_dim", "batch_size", "autocast", "batch_input_shape"}


def _ident(name: str) -> str:
    s = re.sub(r"\W", "_", name)
    return s if s and not s[0].isdigit() else f"l_{s}"


def _literal(v: Any) -> str | None:
    """Python literal text for a value, or None when it is not a plain literal."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return repr(v)
    if isinstance(v, LayerType):
        return call_text(v)
    if isinstance(v, (list, tuple)):
        items = [_literal(x) for x in v]
        if any(i is None for i in items):
            return None
        if isinstance(v, tuple):
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"  # type: ignore[arg-type]
        return "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return None  # dicts: serialised Keras objects (initializers, regularizers)


#: element-wise ops between two tensors that a merge layer writes with the same shape and no weights
_MERGES = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply", "maximum": "Maximum",
           "minimum": "Minimum"}


def merge_layer(op: Any) -> str | None:
    """The merge layer a tensor operation is, when it is one (``a + b`` of two same-shape
    tensors is ``Add()([a, b])``); None for anything with a constant."""
    from archcalc.layers.ops import TensorArg

    name = _MERGES.get(getattr(op, "op_name", ""))
    given = getattr(op, "given", {})
    if name is None or len(given) != 2 or not all(isinstance(v, TensorArg) for v in given.values()):
        return None
    return name


def call_text(layer: LayerType, frozen: bool = False) -> str:
    """``Conv2D(filters=8, kernel_size=(3, 3), ...)``: the layer's arguments in keyword form."""
    merge = merge_layer(layer)
    if merge is not None:
        return f"{merge}()"
    parts = []
    given = dict(layer.given)
    if frozen or not layer.trainable:
        given["trainable"] = False
    elif given.get("trainable") is True:
        del given["trainable"]
    own = {a.name for a in layer.ARGS}
    for k, v in given.items():
        if k in _SKIP and k not in own:
            continue
        text = _literal(v)
        if text is not None:
            parts.append(f"{k}={text}")
    return f"{layer.keras_name}({', '.join(parts)})"


def _quote(text: str) -> str:
    if re.search(r":\s|\s#|^[\[\]{}&*!|>'\"%@`#-]", text):
        return json.dumps(text)
    return text


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.taken: set[str] = set()
        self.first: dict[int, str] = {}  # id(layer) -> entry name of its first call
        self.last: str | None = None  # the entry written last: what an entry without refs reads

    def name(self, base: str) -> str:
        from archcalc.names import free_name

        name = free_name(_ident(base), self.taken)
        self.taken.add(name)
        return name

    def emit(self, graph: Graph, refs: dict[str, list[str]], prefix: str, frozen: bool, prev: list[str] | None) -> dict[str, list[str]]:
        """Write graph's layer nodes; refs maps its input node names to entry names."""
        from archcalc.engine import topological_order

        for node in topological_order(graph):
            if node.is_input:
                continue
            ins: list[str] = []
            for src, index in node.sources():
                if src not in refs:
                    from archcalc.errors import UsageError

                    raise UsageError(f"cannot write '{node.name}': it reads '{src}', which is not an input of "
                                     f"the model '{graph.name}'", hint="convert the model that holds it")
                ins.extend(_pick(refs[src], index))
            refs[node.name] = self.node(node, ins, prefix, frozen, prev)
            prev = refs[node.name]
        return refs

    def node(self, node: Node, ins: list[str], prefix: str, frozen: bool, prev: list[str] | None) -> list[str]:
        layer = node.layer
        assert layer is not None
        if isinstance(layer, NestedModel):
            inner = layer.graph
            sub_frozen = frozen or not layer.trainable
            if len(ins) != len(inner.inputs):
                ins = ins[: len(inner.inputs)]
            inner_inputs = list(inner.inputs)
            inner_inputs += [n for n, nd in inner.nodes.items() if nd.is_input and n not in inner_inputs]
            sub_refs = {n: [x] for n, x in zip(inner_inputs, ins, strict=False)}
            sub_refs = self.emit(inner, sub_refs, f"{prefix}{node.name}_", sub_frozen, list(ins))
            out: list[str] = []
            for o in inner.outputs:
                out.extend(sub_refs[o])
            return out
        entry = self.name(prefix + node.name)
        key = id(layer)
        list_form = node.list_input or len(ins) != 1 or merge_layer(layer) is not None
        arg = f"[{', '.join(ins)}]" if list_form else ins[0]
        if key in self.first:
            text = f"{self.first[key]}({arg})"
        else:
            self.first[key] = entry
            text = call_text(layer, frozen)
            if ins != [self.last] or list_form:
                text += f"({arg})"
        self.lines.append(f"  - {entry}: {_quote(text)}")
        self.last = entry
        return [entry]


def _pick(entries: list[str], index: int | None) -> list[str]:
    """The spec names for output ``index`` of a node written as ``entries``."""
    if index is None:
        return entries
    if len(entries) == 1:  # one layer with several outputs: name[i]
        return [f"{entries[0]}[{index}]"]
    return [entries[index]]  # a flattened nested model: its i-th output entry


def _dims(shape: tuple | None) -> str:
    dims = list(shape or ())[1:]
    return "[" + ", ".join("null" if d is None else str(d) for d in dims) + "]"


def to_yaml(graph: Graph, source: str | None = None, refused: str | None = None) -> str:
    """The spec text for a graph; ``refused``: why the model does not build (the header then
    says so instead of promising the same shapes and counts)."""
    import yaml

    _refuse_unwritable(graph)
    w = _Writer()
    out = _header(graph, source, refused)
    out.append(f"name: {json.dumps(graph.name)}")
    inputs, refs = _inputs(graph, w)
    out += inputs
    w.emit(graph, refs, "", False, None)
    out.append("layers:")
    out.extend(w.lines)
    out += _outputs(graph, refs, w.lines)
    if graph.compile:
        out.append(yaml.safe_dump({"compile": _plain(graph.compile)}, sort_keys=False,
                                  default_flow_style=None).rstrip())
    return "\n".join(out) + "\n"


def _refuse_unwritable(graph: Graph) -> None:
    """The nodes the spec format cannot write: tensor operations that are no merge layer, and
    layers archcalc reads but does not translate (the file's own classes, other libraries)."""
    from archcalc.errors import UsageError
    from archcalc.layers.ops import Op

    ops = [n.name for n in graph.nodes.values() if isinstance(n.layer, Op) and merge_layer(n.layer) is None]
    if ops:
        raise UsageError(
            f"the model applies tensor operations ({', '.join(ops[:3])}{', ...' if len(ops) > 3 else ''}), "
            "which the YAML spec format cannot write",
            hint="use `archcalc emit` for Keras code, or replace the operations with layers "
                 "(Rescaling, Activation, Add, ...)")
    unread = [n for n in graph.nodes.values() if n.layer is not None and n.layer.family in ("opaque", "custom")]
    if unread:
        what = unread[0].layer.call_repr() if unread[0].layer is not None else unread[0].name
        raise UsageError(
            f"'{unread[0].name}' is {what}, a layer the YAML spec format cannot write (it comes from code "
            "archcalc reads but does not translate: your own class, or a library archcalc does not read)",
            hint="`archcalc emit` writes your own classes as Keras code; declare other layers in "
                 "archcalc-layers.yaml (see 'Custom layers' in the documentation)")


def _header(graph: Graph, source: str | None, refused: str | None) -> list[str]:
    """The comments on top: where the spec comes from (and whether it builds), flat nesting."""
    out = []
    if source and refused:
        out.append(f"# Converted by archcalc from {source}. The model does not build: {refused}")
    elif source:
        out.append(f"# Converted by archcalc from {source}; shapes and parameter counts are unchanged.")
    if any(isinstance(n.layer, NestedModel) for n in graph.nodes.values()):
        out.append("# Nested models are written flat: their layers are prefixed with the model's name.")
    return out


def _inputs(graph: Graph, w: _Writer) -> tuple[list[str], dict[str, list[str]]]:
    """The ``input:`` lines (one input as ``input: [dims]``, several by name) and the entry
    name of each input node."""
    inputs = [graph.nodes[n] for n in graph.inputs]
    if len(inputs) == 1:
        w.taken.add("input")
        w.last = "input"
        return [f"input: {_dims(inputs[0].shape)}"], {inputs[0].name: ["input"]}
    lines = ["input:"]
    refs: dict[str, list[str]] = {}
    for node in inputs:
        name = w.name(node.name)
        refs[node.name] = [name]
        lines.append(f"  {name}: {_dims(node.shape)}")
    return lines, refs


def _outputs(graph: Graph, refs: dict[str, list[str]], lines: list[str]) -> list[str]:
    """The ``outputs:`` block, unless the model's one output is the last entry written."""
    outs: list[str] = []
    for o, index in zip(graph.outputs, graph.output_index or [None] * len(graph.outputs), strict=True):
        outs.extend(_pick(refs[o], index))
    last = lines[-1].split(":", 1)[0].strip()[2:] if lines else None
    if outs == [last]:
        return []
    # block style: `name[1]` is not valid inside a YAML flow list
    return ["outputs:", *(f"  - {_quote(o)}" for o in outs)]


def _plain(v: Any) -> Any:
    """``v`` as values YAML can write: a named size (``floor(25*len(x_train)/64)`` in a
    learning-rate schedule) as its text, any other object by describe_value."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, dict):
        return {str(k) if not isinstance(k, (bool, int, float, str)) else k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "free_symbols"):
        return str(v)
    from archcalc.errors import describe_value

    return describe_value(v)
