"""Layers of libraries archcalc does not read (TF Hub's ``hub.KerasLayer(...)``, a
``transformers`` model, ``segmentation_models``): a call into such a library gives an unknown value
(keras_api.library_call remembers it); when the model uses that value as a layer (added to a
Sequential, called on a tensor) it becomes an ``OpaqueLayer`` (layer_types.py): its parameters one
named size (``encoder.params``), its output one named size per axis, which ``--set`` pins; a part
of its output (``bert(ids)[1]``, ``outputs.pooler_output``) is a node of its own.
"""

from __future__ import annotations

import ast
import re

from archcalc.readers.builder import to_snake_case
from archcalc.readers.python.graph_nodes import NodesMixin
from archcalc.readers.python.keras_layers import INPUT_KWARGS
from archcalc.readers.python.layer_types import OpaqueLayer
from archcalc.readers.python.values import LayerObj, Tensor, Unknown, symbol


class OpaqueLayersMixin(NodesMixin):
    """Layers of unread libraries, for the Interpreter."""

    def opaque_layer(self, u: Unknown, e: ast.AST) -> LayerObj | None:
        """The layer an unknown value stands for when the model uses it as one (added to a
        Sequential, called on a tensor) and it comes from a call into a library archcalc does not
        read (``hub.KerasLayer(...)``, ``TFBertModel.from_pretrained(...)``); None otherwise."""
        made = self.opaque_made.get((u.what, u.line))
        if made is not None:
            return made
        found = self.external_calls.get((u.source or u.what, u.line))
        if found is None:
            return None
        dotted, kwargs = found
        parts = dotted.split(".")
        class_name = parts[-2] if parts[-1][:1].islower() and len(parts) > 1 else parts[-1]  # X.from_pretrained
        given = kwargs.get("name")
        var = given if isinstance(given, str) else (u.what if u.source else self.uid(to_snake_case(class_name)))
        var = var if var not in self.nodes else self.unique(var)
        key = f"{var}.params"
        if key in self.ev.overrides:
            self.ev.used_overrides.add(key)
        sizes = {k: v for k, v in self.ev.overrides.items() if k.startswith(var + ".")}
        self.ev.used_overrides.update(sizes)
        # critic.trainable = False before the critic is used in the combined model: frozen
        frozen = kwargs.get("trainable", True) is False or getattr(self, "set_attrs", {}).get(
            (u.what, "trainable"), True) is False
        layer = OpaqueLayer(class_name, var, f"{dotted}(...)", trainable=not frozen,
                            params=sizes.get(key, symbol(key)), sizes=sizes)
        obj = LayerObj(layer, var, self.loc(e), {k: v for k, v in kwargs.items() if k in INPUT_KWARGS})
        self.opaque_made[(u.what, u.line)] = obj
        self.notes.append(f"{var} comes from {dotted}, which archcalc does not read: its parameters "
                          f"({key}) and output size ({var}.out) are named sizes; --set {key}=N pins them")
        return obj

    def opaque_part(self, t: Tensor, key: int | str, e: ast.AST, attribute: bool = False) -> Tensor | None:
        """``bert(ids)[1]``, ``outputs.pooler_output``: a part of an opaque layer's output, as a
        node of its own with a named size and no weights; None when ``t`` is not such an output."""
        node = self.nodes.get(t.node)
        if node is None or not isinstance(node.layer, OpaqueLayer):
            return None
        label = f"output_{key}" if isinstance(key, int) else re.sub(r"\W", "_", key)
        var = self.unique(f"{node.layer.var}_{label}")
        written = f".{key}" if attribute else f"[{key!r}]"
        sizes = {k: v for k, v in self.ev.overrides.items() if k.startswith(var + ".")}
        self.ev.used_overrides.update(sizes)
        part = OpaqueLayer(node.layer.keras_name, var, f"{node.layer.origin}{written}", params=None, sizes=sizes)
        return self.call_layer(LayerObj(part, var, self.loc(e), {}), [t], False, e)
