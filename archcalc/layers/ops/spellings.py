"""Every other spelling of an op, as a ``keras.ops`` call: Python operators, ``tf.*``, the
Keras 2 backend (``K.*``), ``keras.activations.*`` (:data:`SPELLINGS`), with :func:`resolve`
and :func:`bind_spelling`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from archcalc.errors import SpecError, did_you_mean
from archcalc.layers.ops.base import OPS, Op, bind_op


class Spelling(NamedTuple):
    """A foreign function's meaning as a ``keras.ops`` call.

    params: its arguments in positional order, ``"name"`` (same name), ``"name:keras"``
    (renamed) or ``"name:-"`` (ignored); defaults: values used when the argument is not
    given (or is None, for the names in ``none_is_default``).
    """

    op: str
    params: tuple[str, ...]
    defaults: dict[str, Any] = {}
    none_is_default: tuple[str, ...] = ()


def _s(op: str, params: str, defaults: dict[str, Any] | None = None, none: str = "") -> Spelling:
    return Spelling(op, tuple(params.split()), defaults or {}, tuple(none.split()))


_UNARY_TF = "x name:-"
_BIN = "x:x1 y:x2 name:-"
_RED_TF = "input_tensor:x axis keepdims name:-"
_RED_K = "x axis keepdims"

#: every other spelling of an op: Python operators, tf, the Keras 2 backend (``K.``),
#: keras.activations. TFOpLambda's ``function`` strings are these ``tf.`` names without ``tf.``.
SPELLINGS: dict[str, Spelling] = {
    # Python operators on tensors (binary: left operand first; "u-" is unary minus)
    "+": _s("add", "x1 x2"), "-": _s("subtract", "x1 x2"), "*": _s("multiply", "x1 x2"),
    "/": _s("true_divide", "x1 x2"), "//": _s("floor_divide", "x1 x2"), "%": _s("mod", "x1 x2"),
    "**": _s("power", "x1 x2"), "@": _s("matmul", "x1 x2"), "u-": _s("negative", "x"),
    "abs": _s("absolute", "x"), "[]": _s("get_item", "x key"), "~": _s("logical_not", "x"),
    "&": _s("logical_and", "x1 x2"), "|": _s("logical_or", "x1 x2"),
    ">": _s("greater", "x1 x2"), ">=": _s("greater_equal", "x1 x2"), "<": _s("less", "x1 x2"),
    "<=": _s("less_equal", "x1 x2"), "!=": _s("not_equal", "x1 x2"),
    # tf (tf.math.X folds to tf.X) and tf.keras 2's TFOpLambda functions
    "tf.__operators__.add": _s("add", _BIN), "tf.__operators__.getitem": _s("get_item", "tensor:x slice_spec:key"),
    "tf.__operators__.ne": _s("not_equal", _BIN), "tf.__operators__.eq": _s("equal", _BIN),
    "tf.add": _s("add", _BIN), "tf.subtract": _s("subtract", _BIN), "tf.multiply": _s("multiply", _BIN),
    "tf.divide": _s("true_divide", _BIN), "tf.truediv": _s("true_divide", _BIN),
    "tf.floordiv": _s("floor_divide", _BIN), "tf.floormod": _s("mod", _BIN), "tf.mod": _s("mod", _BIN),
    "tf.pow": _s("power", _BIN), "tf.maximum": _s("maximum", _BIN), "tf.minimum": _s("minimum", _BIN),
    "tf.equal": _s("equal", _BIN), "tf.not_equal": _s("not_equal", _BIN), "tf.greater": _s("greater", _BIN),
    "tf.greater_equal": _s("greater_equal", _BIN), "tf.less": _s("less", _BIN),
    "tf.less_equal": _s("less_equal", _BIN), "tf.logical_and": _s("logical_and", _BIN),
    "tf.logical_or": _s("logical_or", _BIN), "tf.logical_not": _s("logical_not", _UNARY_TF),
    "tf.negative": _s("negative", _UNARY_TF), "tf.abs": _s("absolute", _UNARY_TF),
    "tf.square": _s("square", _UNARY_TF), "tf.sqrt": _s("sqrt", _UNARY_TF), "tf.rsqrt": _s("rsqrt", _UNARY_TF),
    "tf.exp": _s("exp", _UNARY_TF), "tf.log": _s("log", _UNARY_TF), "tf.log1p": _s("log1p", _UNARY_TF),
    "tf.expm1": _s("expm1", _UNARY_TF), "tf.sin": _s("sin", _UNARY_TF), "tf.cos": _s("cos", _UNARY_TF),
    "tf.sign": _s("sign", _UNARY_TF), "tf.floor": _s("floor", _UNARY_TF), "tf.ceil": _s("ceil", _UNARY_TF),
    "tf.round": _s("round", _UNARY_TF), "tf.reciprocal": _s("reciprocal", _UNARY_TF),
    "tf.erf": _s("erf", _UNARY_TF), "tf.sigmoid": _s("sigmoid", _UNARY_TF), "tf.tanh": _s("tanh", _UNARY_TF),
    "tf.softplus": _s("softplus", "features:x name:-"), "tf.identity": _s("identity", "input:x name:-"),
    "tf.stop_gradient": _s("stop_gradient", "input:x name:-"), "tf.zeros_like": _s("zeros_like", "input:x dtype:- name:-"),
    "tf.ones_like": _s("ones_like", "input:x dtype:- name:-"),
    "tf.cast": _s("cast", "x dtype name:-"), "tf.shape": _s("shape", "input:x out_type:- name:- optimize:-"),
    "tf.clip_by_value": _s("clip", "t:x clip_value_min:x_min clip_value_max:x_max name:-"),
    "tf.where": _s("where", "condition x:x1 y:x2 name:-"),
    "tf.reduce_mean": _s("mean", _RED_TF), "tf.reduce_sum": _s("sum", _RED_TF),
    "tf.reduce_max": _s("max", _RED_TF), "tf.reduce_min": _s("min", _RED_TF),
    "tf.reduce_prod": _s("prod", _RED_TF), "tf.reduce_std": _s("std", _RED_TF),
    "tf.reduce_variance": _s("var", _RED_TF), "tf.reduce_any": _s("any", _RED_TF),
    "tf.reduce_all": _s("all", _RED_TF), "tf.reduce_logsumexp": _s("logsumexp", _RED_TF),
    "tf.argmax": _s("argmax", "input:x axis output_type:- name:-", {"axis": 0}, none="axis"),
    "tf.argmin": _s("argmin", "input:x axis output_type:- name:-", {"axis": 0}, none="axis"),
    "tf.cumsum": _s("cumsum", "x axis exclusive:- reverse:- name:-", {"axis": 0}),
    "tf.reshape": _s("reshape", "tensor:x shape:newshape name:-"),
    "tf.transpose": _s("transpose", "a:x perm:axes conjugate:- name:-"),
    "tf.expand_dims": _s("expand_dims", "input:x axis name:-"),
    "tf.squeeze": _s("squeeze", "input:x axis name:- squeeze_dims:axis"),
    "tf.concat": _s("concatenate", "values:xs axis name:-"),
    "tf.stack": _s("stack", "values:x axis name:-"),
    "tf.unstack": _s("unstack", "value:x num axis name:-"),
    "tf.tile": _s("tile", "input:x multiples:repeats name:-"),
    "tf.repeat": _s("repeat", "input:x repeats axis name:-"),
    "tf.one_hot": _s("one_hot", "indices:x depth:num_classes on_value:- off_value:- axis dtype name:-",
                     {"axis": -1}, none="axis"),
    "tf.matmul": _s("matmul", "a:x1 b:x2 transpose_a transpose_b adjoint_a:transpose_a adjoint_b:transpose_b "
                              "a_is_sparse:- b_is_sparse:- output_type:- grad_a:- grad_b:- name:-"),
    "tf.linalg.matmul": _s("matmul", "a:x1 b:x2 transpose_a transpose_b adjoint_a:transpose_a "
                                     "adjoint_b:transpose_b a_is_sparse:- b_is_sparse:- output_type:- "
                                     "grad_a:- grad_b:- name:-"),
    "tf.image.resize": _s("image.resize", "images size method:interpolation preserve_aspect_ratio:- "
                                          "antialias name:-"),
    "tf.nn.relu": _s("relu", "features:x name:-"), "tf.nn.relu6": _s("relu6", "features:x name:-"),
    "tf.nn.sigmoid": _s("sigmoid", _UNARY_TF), "tf.nn.tanh": _s("tanh", _UNARY_TF),
    "tf.nn.softmax": _s("softmax", "logits:x axis name:- dim:axis", {"axis": -1}, none="axis"),
    "tf.nn.log_softmax": _s("log_softmax", "logits:x axis name:- dim:axis", {"axis": -1}, none="axis"),
    "tf.nn.gelu": _s("gelu", "features:x approximate name:-", {"approximate": False}),
    "tf.nn.silu": _s("silu", "features:x beta:- name:-"), "tf.nn.swish": _s("silu", "features:x beta:- name:-"),
    "tf.nn.elu": _s("elu", "features:x name:-"), "tf.nn.selu": _s("selu", "features:x name:-"),
    "tf.nn.softplus": _s("softplus", "features:x name:-"), "tf.nn.softsign": _s("softsign", "features:x name:-"),
    "tf.nn.leaky_relu": _s("leaky_relu", "features:x alpha:negative_slope name:-", {"negative_slope": 0.2}),
    "tf.nn.l2_normalize": _s("normalize", "x axis epsilon:- name:- dim:axis", {"axis": None}),
    # the Keras 2 backend (keras.backend / tf.keras.backend, usually imported as K)
    "K.mean": _s("mean", _RED_K), "K.sum": _s("sum", _RED_K), "K.max": _s("max", _RED_K),
    "K.min": _s("min", _RED_K), "K.prod": _s("prod", _RED_K), "K.std": _s("std", _RED_K),
    "K.var": _s("var", _RED_K), "K.any": _s("any", _RED_K), "K.all": _s("all", _RED_K),
    "K.logsumexp": _s("logsumexp", _RED_K),
    "K.argmax": _s("argmax", "x axis", {"axis": -1}), "K.argmin": _s("argmin", "x axis", {"axis": -1}),
    "K.cumsum": _s("cumsum", "x axis", {"axis": 0}),
    "K.concatenate": _s("concatenate", "tensors:xs axis", {"axis": -1}),
    "K.stack": _s("stack", "x axis", {"axis": 0}),
    "K.reshape": _s("reshape", "x shape:newshape"),
    "K.flatten": _s("reshape", "x", {"newshape": (-1,)}),
    "K.permute_dimensions": _s("transpose", "x pattern:axes"),
    "K.transpose": _s("transpose", "x"),
    "K.expand_dims": _s("expand_dims", "x axis", {"axis": -1}),
    "K.squeeze": _s("squeeze", "x axis"),
    "K.tile": _s("tile", "x n:repeats"),
    "K.repeat_elements": _s("repeat", "x rep:repeats axis"),
    "K.one_hot": _s("one_hot", "indices:x num_classes"),
    "K.cast": _s("cast", "x dtype"),
    "K.identity": _s("identity", "x name:-"), "K.stop_gradient": _s("stop_gradient", "variables:x"),
    "K.zeros_like": _s("zeros_like", "x dtype:- name:-"), "K.ones_like": _s("ones_like", "x dtype:- name:-"),
    "K.square": _s("square", "x"), "K.sqrt": _s("sqrt", "x"), "K.exp": _s("exp", "x"), "K.log": _s("log", "x"),
    "K.abs": _s("absolute", "x"), "K.sign": _s("sign", "x"), "K.round": _s("round", "x"),
    "K.sin": _s("sin", "x"), "K.cos": _s("cos", "x"), "K.pow": _s("power", "x:x1 a:x2"),
    "K.maximum": _s("maximum", "x:x1 y:x2"), "K.minimum": _s("minimum", "x:x1 y:x2"),
    "K.equal": _s("equal", "x:x1 y:x2"), "K.not_equal": _s("not_equal", "x:x1 y:x2"),
    "K.greater": _s("greater", "x:x1 y:x2"), "K.greater_equal": _s("greater_equal", "x:x1 y:x2"),
    "K.less": _s("less", "x:x1 y:x2"), "K.less_equal": _s("less_equal", "x:x1 y:x2"),
    "K.clip": _s("clip", "x min_value:x_min max_value:x_max"),
    "K.sigmoid": _s("sigmoid", "x"), "K.hard_sigmoid": _s("hard_sigmoid", "x"), "K.tanh": _s("tanh", "x"),
    "K.softmax": _s("softmax", "x axis", {"axis": -1}), "K.softplus": _s("softplus", "x"),
    "K.softsign": _s("softsign", "x"), "K.elu": _s("elu", "x alpha", {"alpha": 1.0}),
    "K.relu": _s("relu", "x alpha:negative_slope max_value threshold"),
    "K.l2_normalize": _s("normalize", "x axis", {"axis": None}),
    # keras.activations applied to tensors
    "keras.activations.relu": _s("relu", "x negative_slope max_value threshold"),
    "keras.activations.linear": _s("identity", "x"),
    "keras.activations.exponential": _s("exp", "x"),
    "keras.activations.gelu": _s("gelu", "x approximate", {"approximate": False}),
    "keras.activations.leaky_relu": _s("leaky_relu", "x negative_slope"),
    "keras.activations.swish": _s("silu", "x"), "keras.activations.hard_swish": _s("hard_silu", "x"),
}
# keras.activations.X(x) is keras.ops.X(x) for these
for _a in ("sigmoid", "tanh", "softmax", "log_softmax", "silu", "hard_sigmoid", "hard_silu", "elu", "selu",
           "softplus", "softsign", "relu6"):
    SPELLINGS.setdefault(f"keras.activations.{_a}", _s(_a, "x axis" if "softmax" in _a else "x"))

#: prefixes folded before the table lookup, longest first
_PREFIXES = (
    ("tensorflow.", "tf."), ("tf.compat.v1.", "tf."), ("tf.compat.v2.", "tf."), ("tf.math.", "tf."),
    ("tf.keras.backend.", "K."), ("tf_keras.backend.", "K."), ("keras.backend.", "K."),
    ("tf.keras.activations.", "keras.activations."), ("tf_keras.activations.", "keras.activations."),
    ("keras.src.activations.activations.", "keras.activations."), ("keras.src.ops.", "keras.ops."),
)
_OPS_SUBMODULES = re.compile(r"^keras\.ops\.(?:numpy|nn|math|core|linalg)\.")


def normalize_spelling(spelling: str) -> str:
    s = spelling
    changed = True
    while changed:
        changed = False
        for old, new in _PREFIXES:
            if s.startswith(old):
                s = new + s[len(old):]
                changed = True
    return _OPS_SUBMODULES.sub("keras.ops.", s)


#: keras.ops functions that share an op's name but make no node: identity() builds an eye
#: matrix, shape() returns a Python tuple of the static sizes
_NOT_NODES = frozenset({"identity", "shape"})


def resolve(spelling: str) -> str | None:
    """The ``keras.ops`` name of a spelling (see :data:`SPELLINGS`); None when unknown."""
    s = normalize_spelling(spelling)
    if s.startswith("keras.ops."):
        name = s[len("keras.ops."):]
        return name if name in OPS and name not in _NOT_NODES else None
    if s in SPELLINGS:
        return SPELLINGS[s].op
    if s in OPS and "." not in s:
        return s
    return None


def bind_spelling(spelling: str, args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Op, list[int]]:
    """Resolve a spelling and bind its call, translating the foreign argument names."""
    s = normalize_spelling(spelling)
    op = resolve(spelling)
    if op is None:
        known = [*SPELLINGS, *(f"keras.ops.{n}" for n in OPS)]
        hint = did_you_mean(s, known)
        raise SpecError(f"the tensor operation '{spelling}' is not supported",
                        hint=hint or "wrap it in a layer, or declare a custom layer (documentation: 'Custom layers')")
    sp = SPELLINGS.get(s)
    if sp is None:
        return bind_op(op, args, kwargs)
    names = [p.split(":")[0] for p in sp.params]
    target = {p.split(":")[0]: (p.split(":")[1] if ":" in p else p.split(":")[0]) for p in sp.params}
    if len(args) > len(names):
        raise SpecError(f"{spelling} takes at most {len(names)} positional argument(s), got {len(args)}")
    given = dict(zip(names, args))
    for k, v in kwargs.items():
        if k == "name":  # every tf function takes one
            continue
        if k not in target:
            hint = did_you_mean(k, names)
            raise SpecError(f"{spelling} got an unexpected keyword argument '{k}'",
                            hint=hint or "arguments: " + ", ".join(names))
        given[k] = v
    out: dict[str, Any] = {}
    for k, v in given.items():
        t = target[k]
        if t == "-":
            continue
        if v is None and t in sp.none_is_default:
            continue
        out[t] = v
    for k, v in sp.defaults.items():
        out.setdefault(k, v)
    return bind_op(op, [], out)

