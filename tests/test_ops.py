"""Tensor operations as graph nodes (archcalc/layers/ops/) and the op nodes of .json/.keras files.

Parity cases are written once as (op, args, kwargs, input shapes); the Keras side calls
``keras.ops.<op>`` on ``keras.Input`` tensors, archcalc binds the same call with
``bind_op`` (tensors as ``TensorArg`` markers). The spellings table is checked against real
TensorFlow on concrete tensors. tf.keras 2 files come from ``tests/data/tf_keras2_ops.json``,
written by ``tests/data/make_tf_keras2_ops.py`` with tf_keras 2.21, which also recorded the
shapes and counts tf_keras reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archcalc.cost import layer_cost, rule_for
from archcalc.engine import analyze
from archcalc.errors import SpecError
from archcalc.layers import ops as O
from archcalc.layers.ops import TensorArg as T
from archcalc.layers.ops import bind_op, bind_spelling, resolve
from archcalc.readers import load
from archcalc.readers.keras_json import load_config

DATA = Path(__file__).resolve().parent / "data"
OP_TYPES = sorted({id(c): c for c in O.OPS.values()}.values(), key=lambda c: c.keras_name)



class Arr(list):
    """A constant array operand: a numpy array for Keras (as user code writes it), a nested
    list for archcalc (as a .keras file's __numpy__ entry holds it)."""


A = (None, 5, 4)
B = (None, 5, 4)

# (id, op, args, kwargs, input shapes with the batch axis)
CASES = [
    # binary element-wise, with scalars, lists and broadcasting
    ("add-scalar", "add", [T(0), 3.0], {}, [A]),
    ("subtract-scalar-left", "subtract", [3.0, T(0)], {}, [A]),
    ("multiply-array", "multiply", [T(0), Arr([1.0, 2.0, 3.0, 4.0])], {}, [A]),
    ("add-array-2d", "add", [Arr([[1.0], [2.0], [3.0], [4.0], [5.0]]), T(0)], {}, [A]),
    ("true-divide", "true_divide", [T(0), T(1)], {}, [A, B]),
    ("divide", "divide", [T(0), 2], {}, [A]),
    ("floor-divide", "floor_divide", [T(0), 2], {}, [A]),
    ("mod", "mod", [T(0), 2], {}, [A]),
    ("power", "power", [T(0), 2], {}, [A]),
    ("maximum", "maximum", [T(0), 0.0], {}, [A]),
    ("minimum-broadcast", "minimum", [T(0), T(1)], {}, [(None, 5, 1), (None, 1, 4)]),
    ("add-rank-broadcast", "add", [T(0), T(1)], {}, [(None, 5, 4), (None, 4)]),
    ("add-size1-batch", "add", [T(0), T(1)], {}, [(None, 3, 4), (1, 3, 1)]),
    ("add-none-vs-size", "add", [T(0), T(1)], {}, [(None, None, 4), (None, 7, 4)]),
    ("add-bad-broadcast", "add", [T(0), T(1)], {}, [(None, 5, 4), (None, 3)]),
    ("not-equal", "not_equal", [T(0), 0], {}, [(None, None)]),
    ("greater", "greater", [T(0), 0.5], {}, [A]),
    ("less-equal", "less_equal", [T(0), T(1)], {}, [A, (None, 1, 4)]),
    ("logical-and", "logical_and", [T(0), T(1)], {}, [A, B]),
    ("logical-or", "logical_or", [T(0), 1], {}, [A]),
    ("equal", "equal", [T(0), T(1)], {}, [A, (None, 1, 1)]),
    ("greater-equal", "greater_equal", [T(0), 0], {}, [A]),
    ("less", "less", [2.0, T(0)], {}, [A]),
    ("where", "where", [T(0), T(1), 0.0], {}, [A, B]),
    # unary element-wise and activations
    *[(f"unary-{n}", n, [T(0)], {}, [A]) for n in (
        "negative", "absolute", "abs", "square", "sqrt", "rsqrt", "exp", "log", "log1p", "expm1", "sin",
        "cos", "sign", "floor", "ceil", "round", "reciprocal", "erf", "zeros_like", "ones_like", "logical_not",
        "stop_gradient", "relu", "relu6", "sigmoid", "tanh", "silu", "swish", "hard_sigmoid", "hard_silu",
        "hard_swish", "selu", "softplus", "softsign", "gelu", "leaky_relu", "elu", "softmax", "log_softmax",
        "normalize")],
    ("softmax-axis1", "softmax", [T(0)], {"axis": 1}, [A]),
    ("leaky-relu-slope", "leaky_relu", [T(0)], {"negative_slope": 0.1}, [A]),
    ("gelu-exact", "gelu", [T(0)], {"approximate": False}, [A]),
    ("cast", "cast", [T(0), "int32"], {}, [A]),
    ("clip", "clip", [T(0), 0.0, 6.0], {}, [A]),
    ("cumsum-axis", "cumsum", [T(0)], {"axis": 1}, [A]),
    ("cumsum-flat", "cumsum", [T(0)], {}, [(2, 5, 4)]),
    # reductions
    ("mean-axis1", "mean", [T(0)], {"axis": 1}, [A]),
    ("mean-keepdims", "mean", [T(0)], {"axis": 1, "keepdims": True}, [A]),
    ("mean-all", "mean", [T(0)], {}, [A]),
    ("mean-all-keepdims", "mean", [T(0)], {"keepdims": True}, [A]),
    ("sum-tuple", "sum", [T(0)], {"axis": (1, 2)}, [A]),
    ("max-neg-axis", "max", [T(0)], {"axis": -1, "keepdims": True}, [A]),
    ("min", "min", [T(0)], {"axis": 2}, [A]),
    ("prod", "prod", [T(0)], {"axis": 1}, [A]),
    ("std", "std", [T(0)], {"axis": 1}, [A]),
    ("var-keepdims", "var", [T(0)], {"axis": -1, "keepdims": True}, [A]),
    ("any", "any", [T(0)], {"axis": 1}, [A]),
    ("all", "all", [T(0)], {"axis": 1}, [A]),
    ("argmax", "argmax", [T(0)], {"axis": -1}, [A]),
    ("argmin-all", "argmin", [T(0)], {}, [A]),
    ("logsumexp", "logsumexp", [T(0)], {"axis": 1}, [A]),
    ("mean-bad-axis", "mean", [T(0)], {"axis": 3}, [A]),
    # shapes
    ("reshape-minus1", "reshape", [T(0), (-1, 2, 2)], {}, [A]),
    ("reshape-flat", "reshape", [T(0), (-1,)], {}, [A]),
    ("reshape-known-batch", "reshape", [T(0), (4, -1)], {}, [(2, 5, 4)]),
    ("reshape-none-size", "reshape", [T(0), (None, -1)], {}, [A]),
    ("reshape-bad", "reshape", [T(0), (-1, 3)], {}, [(2, 5, 4)]),
    ("transpose-axes", "transpose", [T(0), (0, 2, 1)], {}, [A]),
    ("transpose-reverse", "transpose", [T(0)], {}, [A]),
    ("transpose-bad", "transpose", [T(0), (0, 1)], {}, [A]),
    ("expand-dims-1", "expand_dims", [T(0), 1], {}, [A]),
    ("expand-dims-last", "expand_dims", [T(0), -1], {}, [A]),
    ("expand-dims-tuple", "expand_dims", [T(0), (1, 3)], {}, [A]),
    ("squeeze-all", "squeeze", [T(0)], {}, [(None, 1, 4, 1)]),
    ("squeeze-axis", "squeeze", [T(0)], {"axis": 1}, [(None, 1, 4, 1)]),
    ("squeeze-not-one", "squeeze", [T(0)], {"axis": 2}, [(None, 1, 4, 1)]),
    ("concatenate-last", "concatenate", [[T(0), T(1)]], {"axis": -1}, [A, (None, 5, 3)]),
    ("concatenate-default-axis0", "concatenate", [[T(0), T(1)]], {}, [A, B]),
    ("concatenate-three", "concatenate", [[T(0), T(1), T(0)]], {"axis": 1}, [A, B]),
    ("concatenate-mismatch", "concatenate", [[T(0), T(1)]], {"axis": -1}, [A, (None, 6, 3)]),
    ("stack", "stack", [[T(0), T(1)]], {"axis": 1}, [A, B]),
    ("stack-last", "stack", [[T(0), T(1)]], {"axis": -1}, [A, B]),
    ("unstack-time", "unstack", [T(0)], {"axis": 1}, [A]),
    ("unstack-last-num", "unstack", [T(0)], {"num": 4, "axis": -1}, [A]),
    ("unstack-known-batch", "unstack", [T(0)], {}, [(2, 5, 4)]),
    ("unstack-unknown-batch", "unstack", [T(0)], {}, [A]),
    ("moveaxis", "moveaxis", [T(0), 1, 2], {}, [A]),
    ("swapaxes", "swapaxes", [T(0), 1, 2], {}, [A]),
    ("tile", "tile", [T(0), (1, 2, 1)], {}, [A]),
    ("tile-short", "tile", [T(0), (3,)], {}, [A]),
    ("repeat-axis", "repeat", [T(0), 2], {"axis": 1}, [A]),
    ("one-hot", "one_hot", [T(0), 7], {}, [(None, 5)]),
    ("get-item-int", "get_item", [T(0), (slice(None), 0)], {}, [A]),
    ("get-item-slice", "get_item", [T(0), (slice(None), slice(1, 3), None, Ellipsis)], {}, [A]),
    ("get-item-step", "get_item", [T(0), (slice(None), slice(None, None, 2))], {}, [A]),
    ("get-item-ellipsis-newaxis", "get_item", [T(0), (Ellipsis, None)], {}, [A]),
    ("get-item-negative", "get_item", [T(0), (slice(None), -1)], {}, [A]),
    ("get-item-negative-slice", "get_item", [T(0), (slice(None), slice(-3, None))], {}, [A]),
    ("get-item-unknown-axis", "get_item", [T(0), (slice(None), slice(1, 3))], {}, [(None, None, 4)]),
    ("get-item-out-of-range", "get_item", [T(0), (slice(None), 5)], {}, [A]),
    ("image-resize", "image.resize", [T(0), (16, 12)], {}, [(None, 8, 8, 3)]),
    ("image-resize-channels-first", "image.resize", [T(0), (4, 4)], {"data_format": "channels_first"},
     [(None, 3, 8, 8)]),
    ("image-resize-one-image", "image.resize", [T(0), (4, 6)], {"interpolation": "nearest"}, [(8, 8, 3)]),
    ("matmul-batched", "matmul", [T(0), T(1)], {}, [A, (None, 4, 3)]),
    ("matmul-broadcast", "matmul", [T(0), T(1)], {}, [A, (4, 3)]),
    ("matmul-vector", "matmul", [T(0), T(1)], {}, [A, (4,)]),
    ("matmul-mismatch", "matmul", [T(0), T(1)], {}, [A, (None, 5, 3)]),
]


def _keras_shape(op, args, kwargs, shapes):
    """Keras's output shape, or the exception it raises."""
    import keras

    inputs = [keras.Input(batch_shape=s) for s in shapes]

    def sub(v):
        if isinstance(v, T):
            return inputs[v.index]
        if isinstance(v, Arr):
            import numpy as np

            return np.array(v)
        if isinstance(v, list):
            return [sub(x) for x in v]
        return v

    try:
        fn = keras.ops
        for part in op.split("."):
            fn = getattr(fn, part)
        out = fn(*sub(args), **{k: sub(v) for k, v in kwargs.items()})
    except Exception as e:  # Keras refuses the call
        return e
    if isinstance(out, list):  # ops.unstack: one tensor per slice
        return [tuple(o.shape) for o in out]
    return tuple(out.shape)


def _archcalc_shape(op, args, kwargs, shapes):
    try:
        layer, order = bind_op(op, args, kwargs)
        return layer.output_shape([shapes[i] for i in order])
    except SpecError as e:  # ShapeError is a SpecError's sibling; both are ArchcalcErrors
        return e
    except Exception as e:  # noqa: BLE001
        from archcalc.errors import ArchcalcError

        if isinstance(e, ArchcalcError):
            return e
        raise


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_op_shape_matches_keras(case):
    _, op, args, kwargs, shapes = case
    want = _keras_shape(op, args, kwargs, shapes)
    got = _archcalc_shape(op, args, kwargs, shapes)
    if isinstance(want, Exception):
        assert isinstance(got, Exception), f"Keras refuses ({want}) but archcalc gives {got}"
    else:
        assert got == want


def test_every_parity_case_op_is_exercised():
    """Each op type appears in the parity table (identity and shape are tf's: keras.ops makes no
    node for them; TF_CASES and the tf.keras 2 file cover them)."""
    used = {O.OPS[c[1]] for c in CASES}
    missing = [c.keras_name for c in OP_TYPES if c not in used and c.op_name not in ("identity", "shape")]
    assert not missing


# --- the types ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", OP_TYPES, ids=[c.keras_name for c in OP_TYPES])
def test_every_op_type_has_a_cost_rule_and_a_class_name(cls):
    assert rule_for(cls) is not None, f"{cls.keras_name} has no @cost_rule in archcalc/cost.py"
    assert O.op_for_class(cls.keras_name) is cls
    assert O.OPS[cls.op_name] is cls


def test_op_types_stay_out_of_the_layer_registry():
    from archcalc.layers.registry import OPS, REGISTRY

    assert OPS is O.OPS
    assert REGISTRY["Add"].__module__ == "archcalc.layers.merging"  # the keras.layers.Add
    assert not any(issubclass(c, O.Op) for c in REGISTRY.values())


def test_names_and_display_follow_keras():
    # Keras 3.15's model.summary() shows "add (Add)", "get_item (GetItem)", "true_divide (TrueDivide)"
    assert [O.default_name(O.OPS[n]) for n in ("add", "get_item", "true_divide", "not_equal", "relu")] == [
        "add", "get_item", "true_divide", "not_equal", "relu"]
    layer, order = bind_op("subtract", [3.0, T(4)], {})
    assert (layer.keras_name, order, layer.call_repr()) == ("Subtract", [4], "ops.subtract(3.0, x0)")
    assert layer.trainable and layer.weights([(None, 2)]) == []


def test_code_for_generators():
    layer, order = bind_op("mean", [T(7)], {"axis": 1, "keepdims": True})
    assert layer.code(["x"]) == "keras.ops.mean(x, axis=1, keepdims=True)"
    layer, order = bind_spelling("-", [3.0, T(2)], {})
    assert layer.code(["h"]) == "keras.ops.subtract(3.0, h)"
    layer, order = bind_op("get_item", [T(0), (slice(None), 0, None)], {})
    assert layer.code(["x"]) == "keras.ops.get_item(x, key=(slice(None, None, None), 0, None))"
    layer, order = bind_op("concatenate", [[T(1), T(0)]], {"axis": -1})
    assert (order, layer.code(["a", "b"])) == ([1, 0], "keras.ops.concatenate([a, b], axis=-1)")


def test_activation_ops_tell_lint_their_activation():
    layer, _ = bind_op("sigmoid", [T(0)], {})
    assert (layer.family, layer.cfg["activation"]) == ("activation", "sigmoid")
    assert bind_op("reshape", [T(0), (-1,)], {})[0].family == "ops"


def test_a_size_computed_by_the_model_is_an_input_and_unknown():
    """tf.reshape(x, (tf.shape(x)[0], -1)): the size tensor is an input; Keras gives None."""
    layer, order = bind_op("reshape", [T(0), (T(1), -1)], {})
    assert order == [0, 1]
    assert layer.output_shape([(None, 5, 4), ()]) == (None, None)
    again = type(layer).bind([], dict(layer.given))
    assert again.output_shape([(None, 5, 4), ()]) == (None, None)


def test_rebinding_from_given_gives_the_same_op():
    layer, _ = bind_op("mean", [T(3)], {"axis": 1, "keepdims": True})
    again = type(layer).bind([], dict(layer.given))
    assert again.output_shape([(None, 5, 4)]) == layer.output_shape([(None, 5, 4)]) == (None, 1, 4)


def test_symbolic_sizes_flow_through_ops():
    import sympy

    h, w, c = sympy.symbols("H W C", positive=True, integer=True)
    add, _ = bind_op("add", [T(0), T(1)], {})
    assert add.output_shape([(None, h, w, c), (None, 1, 1, c)]) == (None, h, w, c)
    assert add.output_shape([(None, h, 4), (None, 1, 4)]) == (None, h, 4)
    reshape, _ = bind_op("reshape", [T(0), (-1, 4)], {})
    assert reshape.output_shape([(2, h, 4)]) == (2 * h, 4)
    assert reshape.output_shape([(None, h, 4)]) == (None, 4)
    cat, _ = bind_op("concatenate", [[T(0), T(1)]], {"axis": -1})
    assert cat.output_shape([(None, h, c), (None, h, 3)]) == (None, h, c + 3)
    item, _ = bind_op("get_item", [T(0), (slice(None), slice(1, None), slice(None, None, 2))], {})
    assert item.output_shape([(None, h, w)]) == (None, h - 1, sympy.ceiling(w / 2))
    mm, _ = bind_op("matmul", [T(0), T(1)], {})
    assert mm.output_shape([(None, h, c), (None, c, w)]) == (None, h, w)
    mean, _ = bind_op("mean", [T(0)], {"axis": (1, 2)})
    assert mean.output_shape([(None, h, w, c)]) == (None, c)
    cost = layer_cost(mm, [(None, h, c), (None, c, w)], (None, h, w))
    assert sympy.simplify(cost.macs - h * w * c) == 0


def test_cost_of_ops():
    """Per sample: an add is 1 per output value, a mean reads every input once and divides
    each output once, a matmul sums k products per output value, reshapes are free."""
    def macs(op, args, kwargs, shapes):
        layer, order = bind_op(op, args, kwargs)
        ins = [shapes[i] for i in order]
        cost = layer_cost(layer, ins, layer.output_shape(ins))
        return cost.macs, cost.other_ops

    # (kernel multiply-adds, element-wise operations): op nodes are element-wise but matmul
    assert macs("add", [T(0), 3.0], {}, [(None, 5, 4)]) == (0, 20)
    assert macs("softmax", [T(0)], {}, [(None, 5, 4)]) == (0, 60)
    assert macs("mean", [T(0)], {"axis": 1}, [(None, 5, 4)]) == (0, 20 + 4)
    assert macs("matmul", [T(0), T(1)], {}, [(None, 5, 4), (None, 4, 3)]) == (15 * 4, 0)
    assert macs("reshape", [T(0), (-1, 20)], {}, [(None, 5, 4)]) == (0, 0)
    assert macs("max", [T(0)], {}, [(None, None, 4)]) == (0, 4)  # unknown size counted as 1, scalar output


@pytest.mark.parametrize("op,args,kwargs,needle", [
    ("einsum", ["ij->ji", T(0)], {}, "'einsum' is not supported"),
    ("mena", [T(0)], {}, "did you mean"),
    ("mean", [T(0)], {"axes": 1}, "unexpected keyword argument 'axes'"),
    ("mean", [T(0)], {"axis": T(1)}, "computed from a tensor"),
    ("add", [1.0, 2.0], {}, "needs at least one tensor"),
    ("reshape", [T(0), (-1, -1)], {}, "at most one -1"),
    ("get_item", [T(0), (Ellipsis, Ellipsis)], {}, "one ellipsis"),
    ("concatenate", [T(0)], {}, "list of tensors"),
])
def test_bad_calls_are_refused_clearly(op, args, kwargs, needle):
    with pytest.raises(SpecError) as e:
        bind_op(op, args, kwargs)
    text = e.value.message + " " + (e.value.hint or "")
    assert needle in text
    assert "object at 0x" not in text and "TensorArg(" not in text


# --- the spellings table ------------------------------------------------------------------------


def test_every_spelling_names_an_op():
    for spelling, sp in O.SPELLINGS.items():
        assert sp.op in O.OPS, spelling
        assert resolve(spelling) == sp.op, spelling


@pytest.mark.parametrize("spelling,want", [
    ("keras.ops.mean", "mean"), ("keras.ops.numpy.reshape", "reshape"), ("keras.ops.nn.relu", "relu"),
    ("tensorflow.math.reduce_mean", "mean"), ("tf.compat.v1.transpose", "transpose"),
    ("tf.__operators__.add", "add"), ("tf.keras.backend.mean", "mean"), ("keras.backend.concatenate", "concatenate"),
    ("tf.keras.activations.swish", "silu"), ("keras.activations.relu", "relu"),
    ("keras.ops.image.resize", "image.resize"), ("keras.ops.identity", None), ("keras.ops.shape", None), ("tf.shape", "shape"), ("tf.unknown_thing", None),
])
def test_resolve(spelling, want):
    assert resolve(spelling) == want


def test_unknown_spelling_is_refused_with_its_name():
    with pytest.raises(SpecError, match=r"'tf\.nn\.conv2d' is not supported"):
        bind_spelling("tf.nn.conv2d", [T(0)], {})


# each: (spelling, args, kwargs, concrete input shapes) run by real TensorFlow eagerly
TF_CASES = [
    ("tf.reduce_mean", [T(0)], {"axis": 1, "keepdims": True}, [(2, 5, 4)]),
    ("tf.math.reduce_sum", [T(0), [1, 2]], {}, [(2, 5, 4)]),
    ("tf.reduce_max", [T(0)], {}, [(2, 5, 4)]),
    ("tf.transpose", [T(0)], {"perm": [0, 2, 1]}, [(2, 5, 4)]),
    ("tf.transpose", [T(0)], {}, [(2, 5, 4)]),
    ("tf.reshape", [T(0), (-1, 20)], {}, [(2, 5, 4)]),
    ("tf.expand_dims", [T(0), -1], {}, [(2, 5, 4)]),
    ("tf.squeeze", [T(0)], {"axis": 1}, [(2, 1, 4)]),
    ("tf.squeeze", [T(0)], {}, [(2, 1, 4, 1)]),
    ("tf.concat", [[T(0), T(1)]], {"axis": -1}, [(2, 5, 4), (2, 5, 3)]),
    ("tf.stack", [[T(0), T(1)]], {"axis": 1}, [(2, 5, 4), (2, 5, 4)]),
    ("tf.unstack", [T(0)], {"axis": 1}, [(2, 5, 4)]),
    ("tf.unstack", [T(0), 4], {"axis": -1}, [(2, 5, 4)]),
    ("tf.matmul", [T(0), T(1)], {"transpose_b": True}, [(2, 5, 4), (2, 3, 4)]),
    ("tf.linalg.matmul", [T(0), T(1)], {"transpose_a": True}, [(2, 5, 4), (2, 5, 3)]),
    ("tf.nn.softmax", [T(0)], {}, [(2, 5, 4)]),
    ("tf.nn.relu", [T(0)], {}, [(2, 5, 4)]),
    ("tf.math.add", [T(0), 3.0], {}, [(2, 5, 4)]),
    ("tf.maximum", [T(0), T(1)], {}, [(2, 5, 1), (2, 1, 4)]),
    ("tf.argmax", [T(0)], {}, [(2, 5, 4)]),  # tf's default axis is 0
    ("tf.one_hot", [T(0), 7], {}, [(2, 5)]),
    ("tf.tile", [T(0), [1, 2, 1]], {}, [(2, 5, 4)]),
    ("tf.clip_by_value", [T(0), 0.0, 6.0], {}, [(2, 5, 4)]),
    ("tf.cast", [T(0), "int32"], {}, [(2, 5, 4)]),
    ("tf.__operators__.getitem", [T(0), (slice(None), slice(1, 3))], {}, [(2, 5, 4)]),
    ("tf.nn.leaky_relu", [T(0)], {"alpha": 0.1}, [(2, 5, 4)]),
    ("tf.shape", [T(0)], {}, [(2, 5, 4)]),
    ("tf.image.resize", [T(0), (16, 12)], {}, [(2, 8, 8, 3)]),
    ("tf.image.resize", [T(0), (4, 4)], {"method": "nearest"}, [(8, 8, 3)]),
    ("tf.identity", [T(0)], {}, [(2, 5, 4)]),
]


@pytest.mark.keras
@pytest.mark.parametrize("case", TF_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(TF_CASES)])
def test_tf_spelling_matches_tensorflow(case):
    import tensorflow as tf

    spelling, args, kwargs, shapes = case
    ints = spelling in ("tf.one_hot",)
    tensors = [tf.zeros(s, dtype="int32" if ints else "float32") for s in shapes]

    def sub(v):
        if isinstance(v, T):
            return tensors[v.index]
        if isinstance(v, list) and v and isinstance(v[0], T):
            return [sub(x) for x in v]
        return v

    fn = tf
    for part in spelling.split(".")[1:]:
        fn = getattr(fn, part)
    if spelling == "tf.__operators__.getitem":
        want = tuple(tensors[0][args[1]].shape)
    else:
        out = fn(*[sub(a) for a in args], **{k: sub(v) for k, v in kwargs.items()})
        want = [tuple(o.shape) for o in out] if isinstance(out, list) else tuple(out.shape)
    layer, order = bind_spelling(spelling, args, kwargs)
    assert layer.output_shape([shapes[i] for i in order]) == want


# --- .json / .keras --------------------------------------------------------------------------


def _keras_op_rows(model):
    """Every node's (output shape) by name, from Keras's model.operations."""
    out = {}
    for op in model.operations:
        if type(op).__name__ == "InputLayer":
            continue
        t = op.output
        out[op.name] = tuple(t.shape) if not isinstance(t, (list, tuple)) else [tuple(x.shape) for x in t]
    return out


def _check_file(model, path):
    result = analyze(load(path))
    for name, shape in _keras_op_rows(model).items():
        assert result.by_name[name].output_shape == shape, name
    assert result.total_params == model.count_params()
    assert result.trainable_params == sum(int(w.numpy().size) for w in model.trainable_weights)
    return result


def _ops_models():
    import keras
    import numpy as np
    from keras import ops

    a = keras.Input((5, 4))
    b = keras.Input((5, 4))
    x = a + 3.0
    y = ops.mean(x, axis=1, keepdims=True)
    z = keras.layers.Dense(3)(y) * (1 / 6)
    outs = [-z, ops.reshape(z, (-1, 3)), 3.0 - a, a / b, x ** 2, ops.relu(x), ops.sigmoid(a), a[:, 0],
            a[:, 1:3, None, ...], ops.concatenate([a, b], axis=-1), ops.transpose(a, (0, 2, 1)),
            ops.expand_dims(a, 1), ops.squeeze(a[:, :1], axis=1), ops.sum(a, axis=(1, 2)), ops.max(a),
            ops.matmul(a, ops.transpose(b, (0, 2, 1))), ops.softmax(a, axis=1), ops.stack([a, b], axis=1),
            ops.cast(a, "int32"), ops.stop_gradient(a), keras.activations.relu(a, max_value=6.0),
            ops.maximum(a, np.array([0.0, 1.0, 2.0, 3.0])), ops.where(a > 0, a, b), ops.one_hot(ops.argmax(a, axis=-1), 4)]
    img = keras.Input((8, 8, 3))
    outs.append(ops.image.resize(keras.layers.Conv2D(4, 3)(img), (12, 10)) + 1.0)
    functional = keras.Model([a, b, img], outs, name="ops_model")

    ids = keras.Input((None,), dtype="int32")
    h = keras.layers.Embedding(100, 8, mask_zero=True)(ids)
    h = keras.layers.LSTM(16)(h)
    masked = keras.Model(ids, keras.layers.Dense(2)(h), name="masked")
    return {"ops": functional, "masked": masked}


@pytest.fixture(scope="module")
def op_files(tmp_path_factory):
    pytest.importorskip("keras")
    import keras
    from test_keras_json import strip_hints

    tmp = tmp_path_factory.mktemp("ops")
    models = _ops_models()
    models["MobileNetV3Small"] = keras.applications.MobileNetV3Small(weights=None, input_shape=(96, 96, 3))
    models["MobileNetV3Large"] = keras.applications.MobileNetV3Large(weights=None, input_shape=(96, 96, 3))
    out = {}
    for name, model in models.items():
        js = tmp / f"{name}.json"
        js.write_text(json.dumps(strip_hints(json.loads(model.to_json()))))
        ks = tmp / f"{name}.keras"
        model.save(ks)
        out[name] = (model, js, ks)
    return out


@pytest.mark.keras
@pytest.mark.parametrize("name", ["ops", "masked", "MobileNetV3Small", "MobileNetV3Large"])
@pytest.mark.parametrize("kind", ["json", "keras"])
def test_op_nodes_read_like_keras(op_files, name, kind):
    model, js, ks = op_files[name]
    result = _check_file(model, js if kind == "json" else ks)
    ops_in_file = [r for r in result.rows if isinstance(r.node.layer, O.Op)]
    assert ops_in_file, "the model has op nodes"
    assert all(r.params == 0 for r in ops_in_file)


@pytest.mark.keras
def test_mask_becomes_a_not_equal_node_outside_the_lstm_inputs(op_files):
    model, js, _ = op_files["masked"]
    graph = load(js)
    node = next(n for n in graph.nodes.values() if n.type == "NotEqual")
    lstm = next(n for n in graph.nodes.values() if n.type == "LSTM")
    assert node.name.startswith("not_equal") and node.inputs == graph.inputs
    embedding = next(layer.name for layer in model.layers if type(layer).__name__ == "Embedding")
    assert lstm.inputs == [embedding]  # the mask= keyword is not an input of the layer


def test_tf_keras2_file_reads_with_tf_keras_numbers():
    data = json.loads((DATA / "tf_keras2_ops.json").read_text())
    result = analyze(load_config(data["model"], "tf_keras2_ops.json"))
    for name, shape in data["expected_shapes"].items():
        assert result.by_name[name].output_shape == tuple(shape), name
    assert (result.trainable_params, result.non_trainable_params) == (
        data["trainable_params"], data["non_trainable_params"])
    kinds = {r.node.name.split("_")[0] for r in result.rows if isinstance(r.node.layer, O.Op)}
    assert "tf.__operators__.getitem" in {r.node.name for r in result.rows}
    assert kinds


def test_sample_reads_as_keras_summarised_it():
    """samples/hard_swish_ops.json (README): Keras 3.15's model.summary() of that model shows
    these names and types, (None, 16) after the mean, (None, 10) at the end, and 618 params."""
    result = analyze(load(Path(__file__).resolve().parent.parent / "samples" / "hard_swish_ops.json"))
    assert [(r.name, r.type) for r in result.rows] == [
        ("image", "InputLayer"), ("conv", "Conv2D"), ("add", "Add"), ("relu6", "ReLU"),
        ("multiply", "Multiply"), ("multiply_1", "Multiply"), ("mean", "Mean"), ("logits", "Dense"),
        ("softmax", "Softmax")]
    assert result.by_name["mean"].output_shape == (None, 16)
    assert result.output_shapes == [(None, 10)]
    assert result.total_params == 618


def _op_file(tmp_path, class_name, module="keras.src.ops.numpy", config=None, args_extra=()):
    t = {"class_name": "__keras_tensor__", "config": {"shape": [None, 4], "keras_history": ["inp", 0, 0]}}
    cfg = {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "name": "inp",
         "config": {"batch_shape": [None, 4], "name": "inp"}, "inbound_nodes": []},
        {"module": module, "class_name": class_name, "name": "op", "config": {"name": "op", **(config or {})},
         "inbound_nodes": [{"args": [t, *args_extra], "kwargs": {}}]}],
        "input_layers": [["inp", 0, 0]], "output_layers": [["op", 0, 0]]}}
    p = tmp_path / "m.json"
    p.write_text(json.dumps(cfg))
    return p


def test_unknown_op_in_a_file_is_refused_naming_it(tmp_path, run_cli):
    p = _op_file(tmp_path, "Einsum", config={"subscripts": "ij->ji"})
    res = run_cli("summary", str(p))
    assert res.exit_code == 2
    assert "'Einsum'" in res.output and "not supported" in res.output and "Traceback" not in res.output


def test_bad_op_arguments_in_a_file_are_refused(tmp_path, run_cli):
    p = _op_file(tmp_path, "Mean", config={"axis": 5})
    res = run_cli("summary", str(p))
    assert res.exit_code == 2 and "axis 5" in res.output and "Traceback" not in res.output
    p = _op_file(tmp_path, "Add", args_extra=({"class_name": "__lambda__", "config": {}},))
    res = run_cli("summary", str(p))
    assert res.exit_code == 2 and "unsupported argument" in res.output


def test_tf_op_lambda_with_an_unknown_function_is_refused(tmp_path, run_cli):
    cfg = {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "name": "inp", "config": {"batch_input_shape": [None, 4], "name": "inp"},
         "inbound_nodes": []},
        {"class_name": "TFOpLambda", "name": "tf.nn.conv2d", "config": {"name": "tf.nn.conv2d", "function": "nn.conv2d"},
         "inbound_nodes": [["inp", 0, 0, {"filters": 3}]]},
        {"class_name": "TFOpLambda", "name": "bad", "config": {"name": "bad", "function": "math.add"},
         "inbound_nodes": [["inp", "x", 0, {"y": 1.0}]]}],
        "input_layers": [["inp", 0, 0]], "output_layers": [["tf.nn.conv2d", 0, 0]]}}
    p = tmp_path / "tfop.json"
    p.write_text(json.dumps(cfg))
    res = run_cli("summary", str(p))
    assert res.exit_code == 2 and "'tf.nn.conv2d' is not supported" in res.output
    cfg["config"]["layers"].pop(1)
    cfg["config"]["output_layers"] = [["bad", 0, 0]]
    p.write_text(json.dumps(cfg))
    res = run_cli("summary", str(p))
    assert res.exit_code == 2 and "malformed inbound node" in res.output


def test_hand_written_file_without_modules_reads_op_classes(tmp_path):
    p = _op_file(tmp_path, "NotEqual", module="", args_extra=(0,))
    assert analyze(load(p)).output_shapes == [(None, 4)]


# --- random cases against Keras ----------------------------------------------------------------

_DIM = [None, 1, 2, 3]


def _random_shape(draw, st, lo=1, hi=4):
    return tuple(draw(st.sampled_from(_DIM)) for _ in range(draw(st.integers(lo, hi))))


def _agree(op, args, kwargs, shapes):
    want = _keras_shape(op, args, kwargs, shapes)
    got = _archcalc_shape(op, args, kwargs, shapes)
    if isinstance(want, Exception):
        assert isinstance(got, Exception), f"{op}{tuple(args)} on {shapes}: Keras refuses ({want}), archcalc gives {got}"
    else:
        assert got == want, f"{op}{tuple(args)} {kwargs} on {shapes}"


@pytest.mark.keras
def test_random_broadcasts_match_keras():
    """Binary ops on random shapes (sizes None, 1, 2, 3; ranks 1 to 4) and matmul."""
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @hypothesis.given(st.data())
    def check(data):
        a = _random_shape(data.draw, st)
        b = _random_shape(data.draw, st)
        op = data.draw(st.sampled_from(["add", "multiply", "maximum", "matmul", "where"]))
        args = [T(0), T(1), 0.0] if op == "where" else [T(0), T(1)]
        _agree(op, args, {}, [a, b])

    check()


@pytest.mark.keras
def test_random_slices_and_reductions_match_keras():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    bound = st.one_of(st.none(), st.integers(-4, 4))
    index = st.one_of(st.integers(-3, 3), st.none(), st.just(Ellipsis),
                      st.builds(slice, bound, bound, st.sampled_from([None, 1, 2, -1])))

    @hypothesis.settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @hypothesis.given(st.data())
    def check(data):
        shape = tuple(data.draw(st.sampled_from([None, 1, 3, 4])) for _ in range(data.draw(st.integers(1, 4))))
        if data.draw(st.booleans()):
            key = tuple(data.draw(st.lists(index, min_size=1, max_size=4)))
            _agree("get_item", [T(0), key], {}, [shape])
        else:
            op = data.draw(st.sampled_from(["mean", "sum", "max", "argmax", "squeeze", "expand_dims"]))
            axis = data.draw(st.one_of(st.none(), st.integers(-4, 4)) if op != "expand_dims" else st.integers(-5, 4))
            kwargs = {"axis": axis}
            if op in ("mean", "sum", "max", "argmax"):
                kwargs["keepdims"] = data.draw(st.booleans())
            _agree(op, [T(0)], kwargs, [shape])

    check()


@pytest.mark.keras
def test_lint_sees_the_activation_an_op_applies(tmp_path, run_cli):
    """ops.softmax over one unit, ops.sigmoid before categorical_crossentropy: the same findings
    as for the layers."""
    import keras
    from keras import ops

    a = keras.Input((8,))
    one = keras.Model(a, ops.softmax(keras.layers.Dense(1)(a)))
    one.compile(optimizer="adam", loss="binary_crossentropy")
    one.save(tmp_path / "softmax1.keras")
    b = keras.Input((8,))
    sig = keras.Model(b, ops.sigmoid(keras.layers.Dense(3)(b)))
    sig.compile(optimizer="adam", loss="categorical_crossentropy")
    sig.save(tmp_path / "sig3.keras")
    res = run_cli("lint", str(tmp_path / "softmax1.keras"), str(tmp_path / "sig3.keras"))
    assert res.exit_code == 1
    assert "AC103" in res.output and "AC102" in res.output
