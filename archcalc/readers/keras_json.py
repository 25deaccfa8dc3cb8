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
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.errors import Location, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers import registry
from archcalc.layers.base import COMMON_KWARGS, LayerType
from archcalc.nested_model import NestedModel

if TYPE_CHECKING:
    from archcalc.layers.ops import Op


def _ops() -> Any:
    """The tensor-op table (archcalc.layers.ops), imported when the file has an op node."""
    from archcalc.layers import ops

    return ops


MAX_JSON_BYTES = limits.MAX_JSON_BYTES  # ResNet152's config is ~1 MB; this leaves plenty of room
MAX_ARCHIVE_BYTES = limits.MAX_ARCHIVE_BYTES  # the weights may be large; only config.json is read
MAX_ENTRIES = limits.MAX_ARCHIVE_ENTRIES
MAX_RATIO = limits.MAX_COMPRESSION_RATIO
MAX_LAYERS = limits.MAX_LAYERS
MAX_NESTING = limits.MAX_MODEL_NESTING  # models inside models

MODEL_CLASSES = ("Functional", "Sequential", "Model")
#: tf.keras 2's layers for TensorFlow functions applied to Keras tensors
TF_OP_CLASSES = ("TFOpLambda", "SlicingOpLambda")
#: modules Keras 3 writes for operation nodes (keras.activations.relu's class included)
OP_MODULES = ("keras.src.ops.", "keras.ops.", "keras.src.activations.")


def _err(path: str, message: str, hint: str | None = None, layer: str | None = None,
         keras_refuses: bool = False) -> SpecError:
    """An error in a saved model file; ``keras_refuses`` when Keras would refuse the same
    config (a layer argument it does not take), else a limit of archcalc's reading."""
    return SpecError(message, loc=Location(path), hint=hint, layer=layer, keras_refuses=keras_refuses)


# --- reading the bytes ------------------------------------------------------------------


def _read_file(path: str, limit: int) -> bytes:
    from archcalc.limits import read_file_bytes

    return read_file_bytes(path, limit)


def _json_type(v: Any) -> str:
    """How JSON names the type of ``v`` (for messages about a field of the wrong type)."""
    return {str: "string", bool: "boolean", int: "number", float: "number", list: "list",
            dict: "mapping", type(None): "null"}.get(type(v), "value")


def _parse_int(text: str) -> int:
    """A JSON integer, within the shared limit (a 4,300-digit one would not even convert)."""
    if len(text.lstrip("-")) > 19 or not limits.number_ok(int(text)):
        raise ValueError(f"the integer {text[:20]}... is too large (the limit is {limits.MAX_INT})")
    return int(text)


def parse_json(data: bytes | str, path: str) -> Any:
    """json.loads with the errors a user can cause turned into SpecError."""
    if len(data) > MAX_JSON_BYTES:
        raise _err(path, f"the JSON is too large ({len(data)} bytes; the limit is {MAX_JSON_BYTES})")
    limits.check_json_values(data, Location(path))
    try:
        doc = json.loads(data, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise SpecError(
            f"invalid JSON: {e.msg}",
            loc=Location(path, e.lineno, e.colno),
            hint="is the file truncated? write it again with model.to_json()",
        ) from None
    except UnicodeDecodeError as e:
        raise _err(path, f"the file is not UTF-8 text (byte {e.start})") from None
    except RecursionError:
        too_deep = True
    except ValueError as e:  # _parse_int's refusal
        raise _err(path, str(e)) from None
    else:
        too_deep = False
    if too_deep or limits.nesting_depth(doc, limits.MAX_CONFIG_DEPTH) > limits.MAX_CONFIG_DEPTH:
        raise _err(path, f"the JSON is nested too deeply (more than {limits.MAX_CONFIG_DEPTH} levels)",
                   hint="a Keras config is only a few levels deep")
    return doc


def _binary_model_file(path: str, what: str) -> Path:
    """A ``.keras`` or ``.h5`` file, checked before a library opens it: a regular file (FIFOs
    and devices refused), present, not a folder, within MAX_ARCHIVE_BYTES. Only its config is
    read afterwards, never the whole file."""
    from archcalc.limits import check_regular

    p = Path(path)
    check_regular(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise _err(path, "no such file") from None
    except OSError as e:
        raise _err(path, f"cannot read the file: {e.strerror}") from None
    if p.is_dir():
        raise _err(path, "is a directory, not a model file")
    if size > MAX_ARCHIVE_BYTES:
        raise _err(path, f"the {what} is too large ({size} bytes; the limit is {MAX_ARCHIVE_BYTES})")
    return p


def read_archive_config(path: str) -> tuple[Any, Any]:
    """(config, metadata) of a ``.keras`` zip archive, read in memory with size checks."""
    import zipfile
    import zlib

    p = _binary_model_file(path, "archive")
    hint = "save the model again with model.save('model.keras')"
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise _err(path, f"the archive has {len(infos)} entries (the limit is {MAX_ENTRIES})", hint)
            for info in infos:
                name = info.filename
                if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
                    raise _err(path, f"the archive holds an unsafe path '{name}'", hint)
            by_name = {i.filename: i for i in infos}
            if "config.json" not in by_name:
                raise _err(path, "the archive has no config.json: not a Keras .keras file", hint)
            config = _read_member(zf, by_name["config.json"], path)
            meta = _read_member(zf, by_name["metadata.json"], path) if "metadata.json" in by_name else {}
    except zipfile.BadZipFile as e:
        raise _err(path, f"not a valid .keras archive ({e})", "is the file truncated? " + hint) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError, RuntimeError,
            zlib.error) as e:  # RuntimeError: an encrypted entry; zlib.error: a damaged stream
        raise _err(path, f"cannot read the archive ({type(e).__name__}: {e})", hint) from None
    return config, meta


def read_h5_config(path: str) -> Any:
    """The model config of an HDF5 model file (``model.save('model.h5')``, Keras 2's default
    format, and Keras 3's legacy one): the file's ``model_config`` attribute, with its
    ``training_config`` as the compile settings. Only the attributes are read, never the
    weights; h5py (part of TensorFlow's install) does the reading."""
    hint = "save the model with model.save('model.keras'), or write model.to_json() to a .json file"
    p = _binary_model_file(path, "file")
    try:
        import h5py
    except ImportError:
        raise _err(path, "reading .h5 model files needs the h5py package",
                   "pip install 'archcalc[h5]' (h5py alone; 'archcalc[keras]' brings it with TensorFlow), or " + hint) from None
    try:
        with h5py.File(p, "r") as f:
            attrs = {k: f.attrs.get(k) for k in ("model_config", "training_config")}
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise _err(path, f"not a readable HDF5 model file ({type(e).__name__}: {e})", hint) from None

    def text(v: Any) -> str | None:
        if isinstance(v, bytes):
            return v.decode("utf-8", "replace")
        return v if isinstance(v, str) else None

    config = text(attrs["model_config"])
    if config is None:
        raise _err(path, "the file holds weights but no model config (it was written by save_weights())",
                   "save the whole model with model.save('model.keras') or model.save('model.h5')")
    root = parse_json(config, path)
    training = text(attrs["training_config"])
    if training is not None and isinstance(root, dict):
        root["compile_config"] = _training_config(parse_json(training, path))
    return root


def _training_config(cfg: Any) -> Any:
    """An HDF5 file's ``training_config`` in the ``compile_config`` form of a ``.keras`` file:
    ``optimizer_config`` is the optimizer (Keras 2 writes its class as ``Custom>SGD``), and a
    metric wrapped in ``MeanMetricWrapper`` is its name."""
    if not isinstance(cfg, dict):
        return None
    out = {k: v for k, v in cfg.items() if k in ("loss", "loss_weights", "weighted_metrics")}
    opt = cfg.get("optimizer_config")
    if isinstance(opt, dict) and isinstance(opt.get("class_name"), str):
        out["optimizer"] = {**opt, "class_name": opt["class_name"].removeprefix("Custom>")}

    def metric(m: Any) -> Any:
        if isinstance(m, list):
            return [metric(x) for x in m]
        if isinstance(m, dict) and m.get("class_name") == "MeanMetricWrapper":
            conf = m.get("config")
            return conf.get("name", m) if isinstance(conf, dict) else m
        return m

    metrics = cfg.get("metrics")
    if isinstance(metrics, list):
        flat = [x for m in metrics for x in (m if isinstance(m, list) else [m])]
        out["metrics"] = metric(flat)
    return out


def _read_member(zf: Any, info: Any, path: str) -> Any:
    if info.file_size > MAX_JSON_BYTES:
        raise _err(path, f"{info.filename} is too large ({info.file_size} bytes; the limit is {MAX_JSON_BYTES})")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
        raise _err(path, f"{info.filename} expands {info.file_size // info.compress_size}x (a zip bomb?)")
    with zf.open(info) as f:
        # never trust the header's size: read at most the cap, in one bounded call
        data = f.read(MAX_JSON_BYTES + 1)
    return parse_json(data, f"{path}:{info.filename}")


# --- config -> graph --------------------------------------------------------------------


def _is_tensor(v: Any) -> bool:
    return isinstance(v, Mapping) and v.get("class_name") == "__keras_tensor__"


def _tensors(v: Any, out: list[tuple[str, int, int]]) -> None:
    """Every (layer, node, tensor) reference inside a call's args, in order."""
    if _is_tensor(v):
        hist = (v.get("config") or {}).get("keras_history")
        if isinstance(hist, (list, tuple)) and len(hist) == 3:
            out.append((str(hist[0]), int(hist[1]), int(hist[2])))
    elif isinstance(v, (list, tuple)):
        # Keras 2 style node: [layer_name, node_index, tensor_index, kwargs]
        if len(v) in (3, 4) and isinstance(v[0], str) and isinstance(v[1], int) and isinstance(v[2], int):
            out.append((v[0], v[1], v[2]))
            return
        for x in v:
            _tensors(x, out)
    elif isinstance(v, Mapping):
        for x in v.values():
            _tensors(x, out)


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
            raise _err(self.path, "not a Keras model config (no 'class_name')",
                       "write the file with model.to_json() or model.save('model.keras')")
        if root.get("class_name") not in MODEL_CLASSES:
            raise _err(self.path, f"the file holds a {root.get('class_name')!r}, not a Sequential or Functional model",
                       "subclassed models are not saved with their layer graph: describe the model in a spec")
        graph = self.model(root, depth=0, top=True)
        if self.missing:
            names = ", ".join(sorted(self.missing))
            only = next(iter(self.missing)) if len(self.missing) == 1 else None
            raise _err(
                self.path,
                f"unknown layer class(es): {names} (first used by layer '{next(iter(self.missing.values()))}')",
                registry.unknown_hint(only, saved=True) if only else registry.CUSTOM_HINT,
            )
        if not graph.outputs:
            raise _err(self.path, "the model has no layers")
        return graph

    # -- models -----------------------------------------------------------------------

    def model(self, entry: Mapping[str, Any], depth: int, top: bool = False) -> Graph:
        if depth > MAX_NESTING:
            raise _err(self.path, f"models are nested more than {MAX_NESTING} deep")
        cfg = entry.get("config")
        if not isinstance(cfg, Mapping):
            raise _err(self.path, f"model {entry.get('name')!r} has no config")
        name = str(cfg.get("name") or entry.get("name") or "model")
        layers = cfg.get("layers")
        if not isinstance(layers, list):
            raise _err(self.path, f"model '{name}' has no 'layers' list", layer=name)
        self.n_layers += len(layers)
        if self.n_layers > MAX_LAYERS:
            raise _err(self.path, f"the model has more than {MAX_LAYERS} layers")
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
                raise _err(self.path, f"the Sequential model '{graph.name}' has no input shape",
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
            raise _err(self.path, "a layer entry is not an object")
        lname = str(e.get("name") or (e.get("config") or {}).get("name") or "")
        if not lname:
            raise _err(self.path, "a layer has no name")
        if e.get("class_name") == "InputLayer":
            graph.add(Node(name=lname, layer=None, shape=self._input_shape(e), loc=Location(self.path)))
            calls[(lname, 0)] = lname
            return
        nodes = e.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise _err(self.path, f"layer '{lname}' has malformed inbound_nodes", layer=lname)
        if self._is_op(e):
            for k, call in enumerate(nodes):
                op, op_refs, was_list = self._op_call(e, lname, call)
                node_name = lname if k == 0 else self._unique(f"{lname}_call{k}", graph, calls)
                calls[(lname, k)] = node_name
                pending.append((node_name, lname, op_refs, was_list, op, None))
            return
        layer = self.layer(e, lname, depth)
        first = None
        for k, call in enumerate(nodes):
            refs: list[tuple[str, int, int]] = []
            args = call.get("args", []) if isinstance(call, Mapping) else call
            _tensors(args, refs)
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
        raise _err(self.path, "malformed input_layers/output_layers")

    def _ref(self, ref: tuple, calls: dict[tuple[str, int], str], user: str) -> tuple[str, int | None]:
        """(graph node, output index; None for a layer with a single output)."""
        if len(ref) != 3:
            raise _err(self.path, f"malformed tensor reference {list(ref)!r}", layer=user)
        lname, node, tensor = ref
        key = (str(lname), int(node))
        if key not in calls:
            raise _err(self.path, f"layer '{user}' reads '{lname}' (call {node}), which is not in the model",
                       "is the file truncated or edited by hand?", layer=user)
        return calls[key], (int(tensor) if str(lname) in self._multi else None)

    def _unique(self, base: str, graph: Graph, calls: dict) -> str:
        from archcalc.names import free_name

        return free_name(base, set(calls.values()) | set(graph.nodes) | self._names)

    def _layer_name(self, e: Any, graph: Graph) -> str:
        if not isinstance(e, Mapping):
            raise _err(self.path, "a layer entry is not an object")
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
            raise _err(self.path, f"input '{cfg.get('name')}' has no valid shape ({shape!r})", layer=cfg.get("name"))
        return tuple(shape)

    # -- operation nodes ---------------------------------------------------------------

    def _is_op(self, e: Mapping[str, Any]) -> bool:
        cls_name = str(e.get("class_name"))
        if cls_name in TF_OP_CLASSES:
            return True
        module = str(e.get("module") or "")
        if module.startswith(OP_MODULES):
            return True
        # a hand-written file without modules: an op class that is not a layer class
        return not module and registry.get(cls_name) is None and _ops().op_for_class(cls_name) is not None

    def _op_call(self, e: Mapping[str, Any], lname: str, call: Any) -> tuple[Op, list[tuple[str, int, int]], bool]:
        """The bound op of one call of an operation node, its tensor references in input
        order, and whether the first argument was a list of tensors."""
        cls_name = str(e.get("class_name"))
        cfg = e.get("config") or {}
        refs: list[tuple[str, int, int]] = []
        try:
            if cls_name in TF_OP_CLASSES:
                function = cfg.get("function")
                if not isinstance(function, str):
                    raise SpecError(f"{cls_name} has no 'function'")
                args, kwargs = self._tf_op_args(call, refs, slices=cls_name == "SlicingOpLambda")
                op, order = _ops().bind_spelling("tf." + function, args, kwargs)
            else:
                op_type = _ops().op_for_class(cls_name)
                if op_type is None:
                    module = e.get("module") or "keras.ops"
                    raise SpecError(f"the tensor operation '{cls_name}' ({module}) is not supported",
                                    hint="archcalc reads the keras.ops listed in the documentation ('Reading Keras code', 'Tensor operations')")
                if not isinstance(call, Mapping):
                    raise SpecError("malformed inbound node")
                args = self._k3_value(call.get("args") or [], refs)
                kwargs = self._k3_value(dict(call.get("kwargs") or {}), refs)
                for k, v in cfg.items():
                    # dtype is an argument of the ops that take one (cast, one_hot, prod, cumsum)
                    if k not in ("name", "trainable", "dtype") or (k == "dtype" and any(
                            p.name == "dtype" for p in op_type.PARAMS)):
                        kwargs.setdefault(k, self._k3_value(v, refs))
                op, order = _ops().bind_op(op_type.op_name, args, kwargs)
        except SpecError as err:
            raise _err(self.path, f"layer '{lname}': {err.message}", err.hint, layer=lname,
                       keras_refuses=err.keras_refuses) from None
        except (ValueError, TypeError, AttributeError):  # hand-edited node data of the wrong types
            raise _err(self.path, f"layer '{lname}' has a malformed inbound node",
                       "is the file truncated or edited by hand?", layer=lname) from None
        was_list = bool(args) and isinstance(args[0], list)
        return op, [refs[i] for i in order], was_list

    def _k3_value(self, v: Any, refs: list[tuple[str, int, int]]) -> Any:
        """A Keras 3 call argument: tensors become TensorArg markers (their references are
        appended to refs), slices, ellipses, tuples and arrays their Python values."""
        if isinstance(v, Mapping):
            cname = v.get("class_name")
            conf = v.get("config") or {}
            if cname == "__keras_tensor__":
                found: list[tuple[str, int, int]] = []
                _tensors(v, found)
                if not found:
                    raise SpecError("a tensor argument has no keras_history")
                refs.append(found[0])
                return _ops().TensorArg(len(refs) - 1)
            if cname == "__slice__":
                return slice(conf.get("start"), conf.get("stop"), conf.get("step"))
            if cname == "__ellipsis__":
                return Ellipsis
            if cname in ("__numpy__", "__tensor__"):
                return conf.get("value")
            if cname == "__tuple__":
                return tuple(self._k3_value(x, refs) for x in conf.get("value") or [])
            if cname is not None:
                raise SpecError(f"unsupported argument of class {cname!r}")
            return {k: self._k3_value(x, refs) for k, x in v.items()}
        if isinstance(v, list):
            return [self._k3_value(x, refs) for x in v]
        return v

    def _tf_op_args(self, call: Any, refs: list[tuple[str, int, int]], slices: bool) -> tuple[list, dict]:
        """tf.keras 2's node data: [[layer, node, tensor, kwargs], ...]; one entry is the
        first positional argument, several are a list of tensors; "_CONSTANT_VALUE" entries
        hold a constant. The keywords hold the other arguments, tensors as [layer, node, tensor]."""
        if not isinstance(call, list) or not call:
            raise SpecError("malformed inbound node")
        entries = [call] if isinstance(call[0], str) else call
        first: list[Any] = []
        kwargs: dict[str, Any] = {}
        for entry in entries:
            if not isinstance(entry, list) or len(entry) not in (3, 4) or not isinstance(entry[0], str):
                raise SpecError("malformed inbound node")
            if entry[0] == "_CONSTANT_VALUE":
                first.append(entry[2])
            else:
                refs.append((entry[0], int(entry[1]), int(entry[2])))
                first.append(_ops().TensorArg(len(refs) - 1))
            if len(entry) == 4 and isinstance(entry[3], Mapping):
                kwargs = dict(entry[3])

        def value(v: Any) -> Any:
            if isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) and v[0] in self._names \
                    and isinstance(v[1], int) and isinstance(v[2], int):
                refs.append((v[0], v[1], v[2]))
                return _ops().TensorArg(len(refs) - 1)
            if isinstance(v, list):
                return [value(x) for x in v]
            if isinstance(v, Mapping):
                if v.get("class_name") == "__ellipsis__":
                    return Ellipsis
                if slices and set(v) == {"start", "stop", "step"}:
                    return slice(v["start"], v["stop"], v["step"])
                return {k: value(x) for k, x in v.items()}
            return v

        kwargs = {k: value(v) for k, v in kwargs.items()}
        if slices and isinstance(kwargs.get("slice_spec"), list):
            kwargs["slice_spec"] = tuple(kwargs["slice_spec"])
        return [first[0] if len(first) == 1 else first], kwargs

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
                raise _err(self.path, f"layer '{lname}': the config of its {k} is a "
                           f"{_json_type(v['config'])}, where Keras writes a mapping",
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
            raise _err(self.path, f"layer '{lname}' has no config", layer=lname)
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
            raise _err(self.path, f"layer '{lname}': {err.message}", err.hint, layer=lname,
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
                raise _err(path, f"the compile settings are damaged: the config of {what} is a "
                           f"{_json_type(conf)}, where Keras writes a mapping",
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
        raise _err(path, f"the config has a field of the wrong type ({type(e).__name__})",
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
        root = parse_json(_read_file(p, MAX_JSON_BYTES), p)
    return load_config(root, p)
