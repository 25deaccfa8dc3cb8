"""The parts a model's code is made of, whichever its style: the state of one generated
file (:class:`Ctx`: Keras's automatic-name counters, the identifiers taken, the variables of
nested models), a ``keras.Input`` call, a layer's call with ``name=`` only where Keras's own
name would differ from archcalc's, free identifiers, and statements wrapped to ``WIDTH``
columns (black's style: one argument per line when a call does not fit).
"""

from __future__ import annotations

import builtins
import keyword

from archcalc.graph import Graph, Node
from archcalc.layers.base import LayerType
from archcalc.readers.builder import free_name, keras_auto_name

from .codegen_layers import concrete_dims, layer_call, literal

WIDTH = 88
INDENT = "    "
#: names the generated code itself uses
_RESERVED = {"keras", "layers", "model", "x"}


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


class Ctx:
    """State shared while writing one file: Keras's name counters and nested models."""

    def __init__(self) -> None:
        self.names = KerasNames()
        self.models: dict[int, str] = {}  # id(NestedModel layer) -> its variable
        self.taken: set[str] = set(_RESERVED)
        self.lines: list[str] = []


# --- statements ----------------------------------------------------------------------------------

def wrap_call(head: str, parts: list[str], tail: str = ")", indent: str = "") -> str:
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


def statement(lhs: str, call: str, call_args: str = "", indent: str = "") -> str:
    """``lhs = call(call_args)`` wrapped to WIDTH (a trailing ``  # comment`` kept last)."""
    call, _, comment = call.partition("  # ")
    comment = f"  # {comment}" if comment else ""
    text = f"{indent}{lhs}{call}{call_args}"
    if len(text) + len(comment) <= WIDTH or "(" not in call:
        return text + comment
    head, parts = _split_call(call)
    return wrap_call(f"{lhs}{head}", parts, ")" + call_args, indent) + comment


def input_call(node: Node, with_name: bool) -> str:
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


def input_needs_name(names: KerasNames, node: Node, single: bool) -> bool:
    auto = names.auto("InputLayer")
    if single and node.name == "input":
        return False  # archcalc's name for a spec's one unnamed input
    return node.name != auto


def model_name_arg(graph: Graph) -> list[str]:
    return [f"name={literal(graph.name)}"] if graph.name and "/" not in graph.name else []


def unique(var: str, taken: set[str], prefix: str = "model_") -> str:
    """``var`` made a valid identifier that is not a keyword, builtin or taken name."""
    if not var or var[0].isdigit():
        var = prefix + var
    if keyword.iskeyword(var) or var in dir(builtins):
        var += "_"
    var = free_name(var, taken)
    taken.add(var)
    return var


def named_call(ctx: Ctx, node: Node) -> str:
    assert node.layer is not None
    if id(node.layer) in ctx.models:  # a nested model or a keras.applications one
        return ctx.models[id(node.layer)]
    names = ctx.names
    auto = names.construct(node.layer, node.name)
    return layer_call(node.layer, name=None if auto else node.name)
