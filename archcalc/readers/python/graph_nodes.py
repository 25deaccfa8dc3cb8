"""The graph a read builds, and the services every Keras family of the library side uses.

``NodesMixin`` is the base of the mixins that make nodes (keras_layers, keras_models,
keras_tensors, and the file's classes: classes, instances, tracing): Keras's automatic names
(``uid``) and free names (``unique``), an argument's unknown parts as named sizes (``sizes``,
``named_size``), a layer called on tensors as a node (``call_layer``; an input of unknown rank
takes the rank of its first layer: ``resolve_rank``), a tensor's shape as the engine computes it
(``shape_of``), the tensors of a model's inputs or outputs (``tensors``), and the error when the
model needs a value the reader does not know (``blocked``).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.errors import ShapeError, SpecError, did_you_mean
from archcalc.graph import Node
from archcalc.layers import registry
from archcalc.readers.builder import free_name, keras_auto_name
from archcalc.readers.python.facts import HELPERS
from archcalc.readers.python.layer_types import OpaqueLayer, resolve_opaque_rank, smallest_rank
from archcalc.readers.python.values import LayerObj, Tensor, Unknown, describe, symbol

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

#: the hint of an error about a model the reader cannot build from the code
SPEC_HINT = "describe the model in a YAML spec, or analyse the live model with archcalc.analyze(model)"


class NodesMixin(_Side):
    """The graph's nodes and the services of the Interpreter's Keras families (their base)."""

    # -- names and sizes ----------------------------------------------------------------------

    def uid(self, base: str) -> str:
        """Keras's automatic names: dense, dense_1, ... (a name given by the user is skipped)."""
        return keras_auto_name(base, self.counters)

    def unique(self, base: str) -> str:
        """A node name not taken yet: ``base``, else ``base_2``, ``base_3``... (Keras's counters stay)."""
        return free_name(base, self.nodes)

    def named_size(self, name: str) -> Any:
        """The named size ``name``, or the value ``--set name=N`` gives it."""
        overrides = self.ev.overrides
        if name in overrides:
            self.ev.used_overrides.add(name)
            return overrides[name]
        return symbol(name)

    def reused_name(self, name: str, e: ast.AST) -> str:
        """A name an earlier layer already has: Keras allows it in another model (an inference
        model built after the training one); archcalc's one graph of the file shows the later
        layer under a free name, and says so. (In one model Keras refuses it, as the graph does.)"""
        new = self.unique(name)
        first = self.nodes[name].loc
        where = f"line {first.line}" if first is not None and first.line else "earlier"
        self.notes.append(f"two layers are named '{name}' ({where} and line {self.loc(e).line}), as Keras allows in "
                          f"separate models; archcalc shows the later one as '{new}'")
        return new

    def sizes(self, v: Any) -> Any:
        """An argument with unknown parts as named symbolic sizes (named by the evaluator)."""
        if isinstance(v, Unknown):
            return self.ev.symbol_for(v)
        if isinstance(v, tuple):
            return tuple(self.sizes(x) for x in v)
        if isinstance(v, list):
            return [self.sizes(x) for x in v]
        return v

    # -- nodes ------------------------------------------------------------------------------

    def call_layer(self, layer: LayerObj, tensors: list[Tensor], is_list: bool, e: ast.AST) -> Tensor:
        for t in tensors:
            src = self.nodes.get(t.node)
            if src is not None and src.is_input and src.shape is None:
                self.resolve_rank(src, layer.layer)
            if src is not None and isinstance(src.layer, OpaqueLayer) and src.layer.rank is None:
                resolve_opaque_rank(src.layer, layer.layer)
        if layer.calls:
            # not name_1: that is the automatic name of the next layer of the same class
            node_name = self.unique(f"{layer.name}_call{len(layer.calls)}")
            shared = layer.calls[0]
        else:
            node_name, shared = layer.name, None
            if node_name in self.nodes:
                node_name = self.reused_name(node_name, e)
        meta: dict[str, Any] = {"call_loc": self.loc(e)}
        if self.block_path:
            meta["block"] = tuple(self.block_path)
        if layer.legacy:
            meta["legacy"] = layer.legacy
        limits.check_layers(len(self.nodes) + 1, self.loc(e))
        if node_name != layer.name and shared is None:
            meta["given_name"] = layer.name
        self.nodes[node_name] = Node(
            name=node_name, layer=layer.layer, inputs=[t.node for t in tensors], loc=layer.loc,
            input_index=[t.index for t in tensors] if any(t.index is not None for t in tensors) else [],
            list_input=is_list, shared_with=shared, meta=meta,
        )
        layer.calls.append(node_name)
        return Tensor(node_name)

    def resolve_rank(self, node: Node, consumer: Any) -> None:
        """An input whose shape is unknown (``x_train.shape[1:]`` of unread data): take its rank
        from the first layer that reads it, the smallest that layer accepts, with one named size
        per axis."""
        what = node.meta.get("unknown_shape")
        if what is None or node.shape is not None:
            return
        base = what[:-4] if what.endswith("[1:]") else what
        inner = getattr(consumer, "graph", None)
        if inner is not None and len(getattr(inner, "inputs", ())) == 1:
            # a model called on it (a subclassed VAE's self.encoder(x)): its own Input's shape,
            # the only one Keras lets through
            own = inner.nodes[inner.inputs[0]].shape
            if own is not None and all(isinstance(d, int) for d in own[1:]):
                node.shape = tuple(own)
                node.meta["shape_from"] = inner.name
                return

        def shape(rank: int) -> tuple:
            return (None, *(self.named_size(f"{base}[{i + 1}]") for i in range(rank)))

        rank = smallest_rank(consumer, shape)
        node.shape = shape(rank or 1)
        if rank is not None:
            node.meta["rank_from"] = getattr(consumer, "keras_name", "") or "the first layer"

    def tensors(self, v: Any, e: ast.AST, what: str) -> list[Tensor]:
        if isinstance(v, Unknown):
            raise self.blocked(v, f"the model's {what} are not known", e)
        if isinstance(v, tuple) and v and v[0] == "input_layer":
            v = v[1]
        if isinstance(v, Tensor):
            return [v]
        if isinstance(v, dict):  # Keras 3 flattens a dict of inputs or outputs in sorted key order
            v = [v[k] for k in sorted_keys(v)]
        if isinstance(v, (list, tuple)) and v:
            out: list[Tensor] = []
            for x in v:
                out.extend(self.tensors(x, e, what))
            return out
        raise self.error(f"the model's {what} must be tensors (from Input or layer calls), got {describe(v)}", e)

    # -- shapes -----------------------------------------------------------------------------

    def shape_of(self, t: Tensor, e: ast.AST | None) -> Any:
        """A tensor's shape, batch axis included, computed as the engine would."""
        node = self.nodes.get(t.node)
        if node is None:
            return Unknown(f"{t.node}.shape", getattr(e, "lineno", 0))
        shapes = self.node_shapes(node, e)
        if t.index is not None:
            try:
                return shapes[t.index] if isinstance(shapes, list) else shapes
            except IndexError:
                raise self.error(f"'{t.node}' has no output [{t.index}]", e) from None
        return shapes

    def node_shapes(self, node: Node, e: ast.AST | None) -> Any:
        cached = node.meta.get("_shape")
        if cached is not None:
            return cached
        if node.is_input:
            if node.shape is None:
                return Unknown(f"{node.name}.shape", getattr(e, "lineno", 0))
            return tuple(node.shape)
        ins: list[Any] = []
        for src, idx in node.sources():
            s = self.node_shapes(self.nodes[src], e)
            if isinstance(s, Unknown):
                return s
            if idx is None:
                ins.extend(s if isinstance(s, list) else [s])
            else:
                ins.append(s[idx] if isinstance(s, list) else s)
        assert node.layer is not None
        try:
            out = node.layer.output_shape(ins)
        except ShapeError as err:
            raise err.with_loc(node.loc, node.name) from None
        except (ValueError, TypeError, ZeroDivisionError) as err:
            raise ShapeError(f"{node.layer.keras_name}: {err}", loc=node.loc, layer=node.name) from None
        node.meta["_shape"] = out
        return out

    def multi_output(self, t: Tensor) -> bool:
        node = self.nodes.get(t.node)
        if node is None or node.is_input:
            return False
        try:
            s = self.node_shapes(node, None)
        except SpecError:
            return True
        return isinstance(s, list)

    # -- unknown values ---------------------------------------------------------------------

    def blocked(self, v: Unknown, message: str, e: ast.AST) -> SpecError:
        """The read stops at an unknown value the model needs; an undefined name is reported
        where it is written; a value whose statement failed, that statement's error."""
        if v.failed is not None:
            return v.failed
        if v.undefined and v.line:
            return SpecError(f"name '{v.what}' is not defined", loc=self.ev.at(v.line, v.col or 1),
                             hint=self.unknown_hint(v))
        return self.error(f"{message}: it comes from {v.describe(self.ev.at)}", e, self.unknown_hint(v))

    def unknown_hint(self, v: Unknown) -> str:
        if v.undefined:
            names = [*registry.REGISTRY, *HELPERS, *(k for k in getattr(self, "globals", {}) if not k.startswith("_"))]
            return did_you_mean(v.what, names) or "define it above this line, or pin it with --set NAME=VALUE"
        return hint_for_unknown(v)


def hint_for_unknown(v: Unknown) -> str:
    if "applications" in v.what:
        return ("keras.applications models are built by Keras code archcalc does not run: save it with "
                "open('model.json', 'w').write(model.to_json()) and run archcalc on the .json")
    if "load_model" in v.what or "model_from_json" in v.what:
        return "run archcalc on the saved model file (.keras or .json) itself"
    if v.undefined:
        return "define it above this line, or pin it with --set NAME=VALUE"
    return "pin the value with --set NAME=VALUE, or " + SPEC_HINT


def sorted_keys(d: dict[Any, Any]) -> list[Any]:
    """A dict's keys in the order Keras 3 flattens it (sorted; insertion order when unsortable)."""
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def has_unknown(v: Any) -> bool:
    """Whether ``v`` is, or holds in a list or tuple, an unknown value."""
    if isinstance(v, Unknown):
        return True
    if isinstance(v, (list, tuple)):
        return any(has_unknown(x) for x in v)
    return False
