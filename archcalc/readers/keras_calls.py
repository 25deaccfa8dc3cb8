"""The calls a saved Keras config records: tensor references (``__keras_tensor__`` markers
and Keras 2's ``[layer, node, tensor]`` lists) and operation nodes, bound by the op table
(``archcalc.layers.ops``, imported only when a file has an op node).

Keras 3 writes each operation as an entry whose module is ``keras.src.ops.*`` with its
constant arguments in the entry's config and in the call's ``args``/``kwargs``; tf.keras 2
wrote ``TFOpLambda``/``SlicingOpLambda`` layers whose ``function`` names the TensorFlow
function and whose call keywords hold the other arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from archcalc.errors import SpecError
from archcalc.layers import registry
from archcalc.readers.keras_files import file_error

if TYPE_CHECKING:
    from archcalc.layers.ops import Op

#: tf.keras 2's layers for TensorFlow functions applied to Keras tensors
TF_OP_CLASSES = ("TFOpLambda", "SlicingOpLambda")
#: modules Keras 3 writes for operation nodes (keras.activations.relu's class included)
OP_MODULES = ("keras.src.ops.", "keras.ops.", "keras.src.activations.")


def _ops() -> Any:
    """The tensor-op table (archcalc.layers.ops), imported when the file has an op node."""
    from archcalc.layers import ops

    return ops


def is_tensor(v: Any) -> bool:
    """Whether ``v`` is Keras 3's marker of a tensor argument (``__keras_tensor__``)."""
    return isinstance(v, Mapping) and v.get("class_name") == "__keras_tensor__"


def tensor_refs(v: Any, out: list[tuple[str, int, int]]) -> None:
    """Every (layer, node, tensor) reference inside a call's args, in order."""
    if is_tensor(v):
        hist = (v.get("config") or {}).get("keras_history")
        if isinstance(hist, (list, tuple)) and len(hist) == 3:
            out.append((str(hist[0]), int(hist[1]), int(hist[2])))
    elif isinstance(v, (list, tuple)):
        # Keras 2 style node: [layer_name, node_index, tensor_index, kwargs]
        if len(v) in (3, 4) and isinstance(v[0], str) and isinstance(v[1], int) and isinstance(v[2], int):
            out.append((v[0], v[1], v[2]))
            return
        for x in v:
            tensor_refs(x, out)
    elif isinstance(v, Mapping):
        for x in v.values():
            tensor_refs(x, out)


def is_op(e: Mapping[str, Any]) -> bool:
    """Whether a layer entry is an operation node (a Keras 3 op or a tf.keras 2 TFOpLambda)."""
    cls_name = str(e.get("class_name"))
    if cls_name in TF_OP_CLASSES:
        return True
    module = str(e.get("module") or "")
    if module.startswith(OP_MODULES):
        return True
    # a hand-written file without modules: an op class that is not a layer class
    return not module and registry.get(cls_name) is None and _ops().op_for_class(cls_name) is not None

def op_call(path: str, names: set[str], e: Mapping[str, Any], lname: str, call: Any) -> tuple[Op, list[tuple[str, int, int]], bool]:
    """The bound op of one call of an operation node, its tensor references in input
    order, and whether the first argument was a list of tensors (``names``: the model's
    layer names, which tell a tf.keras 2 keyword's tensor from a list)."""
    cls_name = str(e.get("class_name"))
    cfg = e.get("config") or {}
    refs: list[tuple[str, int, int]] = []
    try:
        if cls_name in TF_OP_CLASSES:
            function = cfg.get("function")
            if not isinstance(function, str):
                raise SpecError(f"{cls_name} has no 'function'")
            args, kwargs = tf_op_args(call, refs, cls_name == "SlicingOpLambda", names)
            op, order = _ops().bind_spelling("tf." + function, args, kwargs)
        else:
            op_type = _ops().op_for_class(cls_name)
            if op_type is None:
                module = e.get("module") or "keras.ops"
                raise SpecError(f"the tensor operation '{cls_name}' ({module}) is not supported",
                                hint="archcalc reads the keras.ops listed in the documentation ('Reading Keras code', 'Tensor operations')")
            if not isinstance(call, Mapping):
                raise SpecError("malformed inbound node")
            args = k3_value(call.get("args") or [], refs)
            kwargs = k3_value(dict(call.get("kwargs") or {}), refs)
            for k, v in cfg.items():
                # dtype is an argument of the ops that take one (cast, one_hot, prod, cumsum)
                if k not in ("name", "trainable", "dtype") or (k == "dtype" and any(
                        p.name == "dtype" for p in op_type.PARAMS)):
                    kwargs.setdefault(k, k3_value(v, refs))
            op, order = _ops().bind_op(op_type.op_name, args, kwargs)
    except SpecError as err:
        raise file_error(path, f"layer '{lname}': {err.message}", err.hint, layer=lname,
                   keras_refuses=err.keras_refuses) from None
    except (ValueError, TypeError, AttributeError):  # hand-edited node data of the wrong types
        raise file_error(path, f"layer '{lname}' has a malformed inbound node",
                   "is the file truncated or edited by hand?", layer=lname) from None
    was_list = bool(args) and isinstance(args[0], list)
    return op, [refs[i] for i in order], was_list

def k3_value(v: Any, refs: list[tuple[str, int, int]]) -> Any:
    """A Keras 3 call argument: tensors become TensorArg markers (their references are
    appended to refs), slices, ellipses, tuples and arrays their Python values."""
    if isinstance(v, Mapping):
        cname = v.get("class_name")
        conf = v.get("config") or {}
        if cname == "__keras_tensor__":
            found: list[tuple[str, int, int]] = []
            tensor_refs(v, found)
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
            return tuple(k3_value(x, refs) for x in conf.get("value") or [])
        if cname is not None:
            raise SpecError(f"unsupported argument of class {cname!r}")
        return {k: k3_value(x, refs) for k, x in v.items()}
    if isinstance(v, list):
        return [k3_value(x, refs) for x in v]
    return v

def tf_op_args(call: Any, refs: list[tuple[str, int, int]], slices: bool, names: set[str]) -> tuple[list, dict]:
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
        if isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) and v[0] in names \
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
