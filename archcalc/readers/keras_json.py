"""Keras model files: ``model.to_json()`` output (``.json``) and ``model.save()`` archives
(``.keras``), read without TensorFlow.

Only layer *configs* are used: shapes and parameter counts are computed by the engine, so
a file whose ``build_config`` entries and ``__keras_tensor__`` shapes were deleted reads
the same. Sequential and Functional models, nested models (a model used as a layer),
shared layers (one layer called on several inputs: its weights count once), several
inputs and outputs (lists or dicts) are supported; layer names are kept.

Tensor operations between layers are read as op nodes (``archcalc.layers.ops``): Keras 3
writes each as an entry whose module is ``keras.src.ops.*`` (``Add``, ``Mean``,
``GetItem``, the ``NotEqual`` of a ``mask_zero`` Embedding...) with its constant
arguments in the entry's config and in the call's ``args``/``kwargs`` beside the
``__keras_tensor__`` markers; tf.keras 2 wrote ``TFOpLambda``/``SlicingOpLambda`` layers
whose ``function`` names the TensorFlow function (``math.add`` is ``tf.math.add``) and
whose call keywords hold the other arguments. A tensor passed as a keyword that only
Keras's masking reads (``mask=``) is not an input of the node.

A ``.keras`` archive is a zip file; only ``config.json`` is read, in memory, after checks
on the archive (entry count, sizes, compression ratio, paths) so that a zip bomb or a
corrupt file ends in a clear error instead of filling memory or disk.

This module makes the graph of a parsed config (models, layers, calls); ``keras_files.py``
reads the files into a config and ``keras_calls.py`` reads the calls' tensor references and
the operation nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import Location, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers import registry
from archcalc.layers.base import COMMON_KWARGS, LayerType
from archcalc.nested_model import NestedModel
from archcalc.readers.keras_calls import is_op, op_call, tensor_refs
from archcalc.readers.keras_files import (
    MAX_JSON_BYTES,
    file_error,
    json_type,
    parse_json,
    read_archive_config,
    read_h5_config,
    read_json_file,
)

MAX_LAYERS = limits.MAX_LAYERS
MAX_NESTING = limits.MAX_MODEL_NESTING  # models inside models

MODEL_CLASSES = ("Functional", "Sequential", "Model")

__all__ = ["MAX_JSON_BYTES", "ConfigReader", "load", "load_config", "parse_json", "read_archive_config",
           "read_h5_config"]


def _several_outputs(layer: Any) -> bool:
    """True for a layer configured to give several outputs: an RNN with return_state, a
    Bidirectional with merge_mode=None or return_state."""
    cfg = getattr(layer, "cfg", {}) or {}
    if cfg.get("return_state") is True:
        return True
    inner = cfg.get("layer")
    if "merge_mode" in cfg and (cfg.get("merge_mode") is None or getattr(inner, "cfg", {}).get("return_state")):
        return True
    return False


def _simplify(value: Any) -> Any:
    """A DTypePolicy dict becomes its name; lists stay lists."""
    if isinstance(value, Mapping) and value.get("class_name") in ("DTypePolicy", "FloatDTypePolicy"):
        return (value.get("config") or {}).get("name", "float32")
    return value


#: one call of a layer waiting for its inputs: (node name, layer name, tensor references,
#: called on a list, the layer or op, the node of its first call when it is shared)
_Pending = tuple[str, str, list[tuple[str, int, int]], bool, Any, "str | None"]


def _multi_output(pending: list[_Pending], outs: list[tuple[tuple[str, int, int], str | None]]) -> set[str]:
    """The layers with several outputs: read at an output index > 0 (by a layer or as a model
    output), or several by their config even where only output 0 is read."""
    multi = {str(r[0]) for *_, refs, _, _, _ in pending for r in refs if int(r[2]) != 0}
    multi |= {str(r[0]) for r, _ in outs if len(r) == 3 and int(r[2]) != 0}
    multi |= {lname for _, lname, _, _, layer, _ in pending if layer is not None and _several_outputs(layer)}
    return multi


class ConfigReader:
    """Turns a Keras model config (the dict ``to_json()`` writes) into a Graph."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.missing: dict[str, str] = {}  # class name -> first layer name using it
        self.n_layers = 0
        self._multi: set[str] = set()  # layers of the model being read that have several outputs

    def read(self, root: Any) -> Graph:
        if not isinstance(root, Mapping) or "class_name" not in root:
            raise file_error(self.path, "not a Keras model config (no 'class_name')",
                       "write the file with model.to_json() or model.save('model.keras')")
        if root.get("class_name") not in MODEL_CLASSES:
            raise file_error(self.path, f"the file holds a {root.get('class_name')!r}, not a Sequential or Functional model",
                       "subclassed models are not saved with their layer graph: describe the model in a spec")
        graph = self.model(root, depth=0, top=True)
        if self.missing:
            names = ", ".join(sorted(self.missing))
            only = next(iter(self.missing)) if len(self.missing) == 1 else None
            raise file_error(
                self.path,
                f"unknown layer class(es): {names} (first used by layer '{next(iter(self.missing.values()))}')",
                registry.unknown_hint(only, saved=True) if only else registry.CUSTOM_HINT,
            )
        if not graph.outputs:
            raise file_error(self.path, "the model has no layers")
        return graph

    # -- models -----------------------------------------------------------------------

    def model(self, entry: Mapping[str, Any], depth: int, top: bool = False) -> Graph:
        if depth > MAX_NESTING:
            raise file_error(self.path, f"models are nested more than {MAX_NESTING} deep")
        cfg = entry.get("config")
        if not isinstance(cfg, Mapping):
            raise file_error(self.path, f"model {entry.get('name')!r} has no config")
        name = str(cfg.get("name") or entry.get("name") or "model")
        layers = cfg.get("layers")
        if not isinstance(layers, list):
            raise file_error(self.path, f"model '{name}' has no 'layers' list", layer=name)
        self.n_layers += len(layers)
        if self.n_layers > MAX_LAYERS:
            raise file_error(self.path, f"the model has more than {MAX_LAYERS} layers")
        graph = Graph(name=name, path=self.path)
        if entry.get("class_name") == "Sequential":
            self._sequential(graph, cfg, layers, depth, top)
        else:
            self._functional(graph, cfg, layers, depth)
        return graph

    def _sequential(self, graph: Graph, cfg: Mapping[str, Any], layers: list, depth: int, top: bool) -> None:
        graph.sequential = True
        entries = list(layers)
        shape = None
        in_name = "input_layer"
        if entries and isinstance(entries[0], Mapping) and entries[0].get("class_name") == "InputLayer":
            first = entries.pop(0)
            shape = self._input_shape(first)
            in_name = str((first.get("config") or {}).get("name") or in_name)
        elif cfg.get("build_input_shape"):
            shape = tuple(cfg["build_input_shape"])
        if shape is None:
            if top:
                raise file_error(self.path, f"the Sequential model '{graph.name}' has no input shape",
                           "build the model before saving it: keras.Input(shape=...) as its first layer")
            shape = None  # a nested Sequential takes the shape it is called on
        graph.add(Node(name=in_name, layer=None, shape=shape, loc=Location(self.path)))
        prev = in_name
        for e in entries:
            lname = self._layer_name(e, graph)
            layer = self.layer(e, lname, depth)
            if layer is None:
                continue
            graph.add(Node(name=lname, layer=layer, inputs=[prev], loc=Location(self.path), meta=self._meta(e)))
            prev = lname
        graph.outputs = [prev] if prev != in_name else []

    def _functional(self, graph: Graph, cfg: Mapping[str, Any], layers: list, depth: int) -> None:
        calls: dict[tuple[str, int], str] = {}
        self._names = {str(e.get("name")) for e in layers if isinstance(e, Mapping)}
        pending: list[_Pending] = []
        for e in layers:
            self._entry(graph, e, depth, calls, pending)
        outs = self._io_list(cfg.get("output_layers"))
        self._multi = _multi_output(pending, outs)
        for node_name, lname, refs, was_list, layer, first in pending:
            srcs = [self._ref(r, calls, lname) for r in refs]
            graph.add(Node(name=node_name, layer=layer, inputs=[n for n, _ in srcs], loc=Location(self.path),
                           input_index=[i for _, i in srcs] if any(i is not None for _, i in srcs) else [],
                           list_input=was_list, shared_with=first,
                           meta={"keras_layer": lname} if first else {}))
        ins = self._io_list(cfg.get("input_layers"))
        if ins:
            order = [self._ref(r, calls, "input_layers")[0] for r, _ in ins]
            graph.inputs = order + [n for n in graph.inputs if n not in order]
        refs_out = [self._ref(r, calls, "output_layers") for r, _ in outs]
        graph.outputs = [n for n, _ in refs_out]
        graph.output_index = [i for _, i in refs_out] if any(i is not None for _, i in refs_out) else []
        keys = [k for _, k in outs if k is not None]
        if keys:
            graph.extras["output_keys"] = keys

    def _entry(self, graph: Graph, e: Any, depth: int, calls: dict[tuple[str, int], str],
               pending: list[_Pending]) -> None:
        """One layer entry of a Functional config: an input node now, or each of its calls
        (inbound nodes) in ``pending``, named in ``calls`` by (layer, call index)."""
        if not isinstance(e, Mapping):
            raise file_error(self.path, "a layer entry is not an object")
        lname = str(e.get("name") or (e.get("config") or {}).get("name") or "")
        if not lname:
            raise file_error(self.path, "a layer has no name")
        if e.get("class_name") == "InputLayer":
            graph.add(Node(name=lname, layer=None, shape=self._input_shape(e), loc=Location(self.path)))
            calls[(lname, 0)] = lname
            return
        nodes = e.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise file_error(self.path, f"layer '{lname}' has malformed inbound_nodes", layer=lname)
        if is_op(e):
            for k, call in enumerate(nodes):
                op, op_refs, was_list = op_call(self.path, self._names, e, lname, call)
                node_name = lname if k == 0 else self._unique(f"{lname}_call{k}", graph, calls)
                calls[(lname, k)] = node_name
                pending.append((node_name, lname, op_refs, was_list, op, None))
            return
        layer = self.layer(e, lname, depth)
        first = None
        for k, call in enumerate(nodes):
            refs: list[tuple[str, int, int]] = []
            args = call.get("args", []) if isinstance(call, Mapping) else call
            tensor_refs(args, refs)
            was_list = isinstance(call, Mapping) and len(args) == 1 and isinstance(args[0], list)
            node_name = lname if k == 0 else self._unique(f"{lname}_call{k}", graph, calls)
            calls[(lname, k)] = node_name
            if layer is not None:
                pending.append((node_name, lname, refs, was_list, layer, first))
            first = first or node_name

    def _io_list(self, v: Any) -> list[tuple[tuple[str, int, int], str | None]]:
        if v is None:
            return []
        if isinstance(v, Mapping):
            return [(tuple(r), str(k)) for k, r in v.items()]  # type: ignore[misc]
        if isinstance(v, list) and len(v) == 3 and isinstance(v[0], str):
            return [(tuple(v), None)]  # type: ignore[list-item]
        if isinstance(v, list):
            return [(tuple(r), None) for r in v]  # type: ignore[misc]
        raise file_error(self.path, "malformed input_layers/output_layers")

    def _ref(self, ref: tuple, calls: dict[tuple[str, int], str], user: str) -> tuple[str, int | None]:
        """(graph node, output index; None for a layer with a single output)."""
        if len(ref) != 3:
            raise file_error(self.path, f"malformed tensor reference {list(ref)!r}", layer=user)
        lname, node, tensor = ref
        key = (str(lname), int(node))
        if key not in calls:
            raise file_error(self.path, f"layer '{user}' reads '{lname}' (call {node}), which is not in the model",
                       "is the file truncated or edited by hand?", layer=user)
        return calls[key], (int(tensor) if str(lname) in self._multi else None)

    def _unique(self, base: str, graph: Graph, calls: dict) -> str:
        from archcalc.names import free_name

        return free_name(base, set(calls.values()) | set(graph.nodes) | self._names)

    def _layer_name(self, e: Any, graph: Graph) -> str:
        if not isinstance(e, Mapping):
            raise file_error(self.path, "a layer entry is not an object")
        return str((e.get("config") or {}).get("name") or e.get("name") or f"layer_{len(graph.nodes)}")

    @staticmethod
    def _meta(e: Mapping[str, Any]) -> dict[str, Any]:
        return {"keras_class": e.get("class_name")}

    def _input_shape(self, e: Mapping[str, Any]) -> tuple:
        cfg = e.get("config") or {}
        shape = cfg.get("batch_shape") or cfg.get("batch_input_shape")
        if shape is None and cfg.get("shape") is not None:
            shape = [None, *cfg["shape"]]
        if not isinstance(shape, list) or not all(d is None or (isinstance(d, int) and d >= 0) for d in shape):
            raise file_error(self.path, f"input '{cfg.get('name')}' has no valid shape ({shape!r})", layer=cfg.get("name"))
        return tuple(shape)

    # -- layers -----------------------------------------------------------------------

    def layer_kwargs(self, cls: Any, cfg: Mapping[str, Any], lname: str, depth: int) -> dict[str, Any] | None:
        """A layer config's arguments for ``cls.bind``: shape hints dropped, wrapped layers and
        cells read as layers (None when one of them is of an unknown class)."""
        own = {a.name for a in cls.ARGS}
        accepted = own | set(COMMON_KWARGS)
        kwargs: dict[str, Any] = {}
        for k, v in cfg.items():
            # shape hints are dropped (the engine computes shapes), but Embedding's
            # input_dim is a real argument of its own
            if k not in accepted or (k in ("input_shape", "input_dim", "batch_size") and k not in own):
                continue
            if isinstance(v, Mapping) and "class_name" in v and isinstance(v.get("config"), Mapping) \
                    and k in ("layer", "backward_layer", "cell"):
                wrapped = self.layer(v, f"{lname}/{k}", depth + 1)
                if wrapped is None:
                    return None
                v = wrapped
            elif isinstance(v, Mapping) and "class_name" in v and v.get("config") is not None \
                    and not isinstance(v.get("config"), Mapping):
                # a serialized initializer, regularizer... is {"class_name", "config": {...}}
                raise file_error(self.path, f"layer '{lname}': the config of its {k} is a "
                           f"{json_type(v['config'])}, where Keras writes a mapping",
                           hint="write the file again with model.to_json() or model.save()", layer=lname)
            elif k in ("cell", "cells") and isinstance(v, list) and all(
                    isinstance(c, Mapping) and "class_name" in c for c in v):
                # RNN([cell, cell]) / StackedRNNCells(cells=[...]): each cell a layer of its own
                cells = [self.layer(c, f"{lname}/{k}[{i}]", depth + 1) for i, c in enumerate(v)]
                if any(c is None for c in cells):
                    return None
                v = cells
            kwargs[k] = _simplify(v)
        return kwargs

    def layer(self, e: Mapping[str, Any], lname: str, depth: int) -> LayerType | None:
        """The layer type for one config entry (None when its class is unknown)."""
        cls_name = str(e.get("class_name"))
        cfg = e.get("config")
        if not isinstance(cfg, Mapping):
            raise file_error(self.path, f"layer '{lname}' has no config", layer=lname)
        if cls_name in MODEL_CLASSES:
            inner = self.model(e, depth + 1)
            return NestedModel.of(inner, cls_name, trainable=bool(cfg.get("trainable", True)))
        cls = registry.get(cls_name, saved=True)
        if cls is None:
            reg = e.get("registered_name")
            if isinstance(reg, str):
                short = reg.split(">")[-1]
                cls = registry.get(short, saved=True)
        if cls is None:
            self.missing.setdefault(cls_name, lname)
            return None
        kwargs = self.layer_kwargs(cls, cfg, lname, depth)
        if kwargs is None:
            return None
        if isinstance(kwargs.get("dtype"), str) and kwargs["dtype"] == "float32":
            del kwargs["dtype"]
        try:
            return cls.bind([], kwargs)
        except SpecError as err:
            raise file_error(self.path, f"layer '{lname}': {err.message}", err.hint, layer=lname,
                       keras_refuses=err.keras_refuses) from None


def _compile(cfg: Any, path: str) -> dict[str, Any] | None:
    """A saved compile_config in the form Graph.compile uses (see readers/python)."""
    if not isinstance(cfg, Mapping) or not cfg:
        return None

    def obj(v: Any) -> Any:
        if isinstance(v, Mapping) and "class_name" in v:
            conf = v.get("config") or {}
            if not isinstance(conf, Mapping):
                what = f"'{v['class_name']}'" if isinstance(v["class_name"], str) else "an object"
                raise file_error(path, f"the compile settings are damaged: the config of {what} is a "
                           f"{json_type(conf)}, where Keras writes a mapping",
                           hint="save the model again with model.save('model.keras')")
            inner = {k: obj(x) for k, x in conf.items() if k != "name"}
            return {"class_name": v["class_name"], "config": inner}
        if isinstance(v, list):
            return [obj(x) for x in v]
        if isinstance(v, Mapping):
            return {k: obj(x) for k, x in v.items()}
        return v

    out = {k: obj(cfg[k]) for k in ("optimizer", "loss", "metrics", "loss_weights", "weighted_metrics")
           if cfg.get(k) is not None}
    return out or None


def load_config(root: Any, path: str) -> Graph:
    """Read a parsed model config (a dict) into a Graph."""
    try:
        graph = ConfigReader(path).read(root)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as e:
        # a field of the wrong type ("config": [1], keras_history ["in", "x", 0], output_layers
        # [5]): the config is untyped JSON, and the reader indexes it as Keras writes it
        raise file_error(path, f"the config has a field of the wrong type ({type(e).__name__})",
                   hint="write the file again with model.to_json() or model.save()") from None
    comp = _compile(root.get("compile_config"), path) if isinstance(root, Mapping) else None
    if comp:
        graph.compile = comp
        graph.compile_loc = Location(path)
    return graph


def load(path: str | Path, overrides: Mapping[str, Any] | None = None, **options: Any) -> Graph:
    """Read a ``.json`` (``model.to_json()``), ``.keras`` (``model.save()``) or ``.h5`` (Keras 2's
    ``model.save('model.h5')``) file."""
    p = str(path)
    if p.lower().endswith(".keras"):
        root, _meta = read_archive_config(p)
    elif p.lower().endswith((".h5", ".hdf5")):
        root = read_h5_config(p)
    else:
        root = read_json_file(p)
    return load_config(root, p)
