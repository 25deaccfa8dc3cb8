"""Tensor operations as graph nodes: ``x + 3.0``, ``keras.ops.mean(x, axis=1)``, ``x[:, 0]``...

Functional Keras code applies operations between layers, and Keras 3 records each one as a
node of the model (an ``Operation``, not a ``Layer``). This module gives each operation a
layer type with 0 weights and Keras 3's output shape (broadcasting included), so the engine,
the cost model and the renderers treat it like any other node. Dimensions may be ints,
``None`` or sympy expressions; dtypes are not tracked.

For the readers
---------------
``bind_op(op, args, kwargs) -> (layer, order)``
    ``op`` is a ``keras.ops`` function name (``"add"``, ``"mean"``, ``"get_item"``,
    ``"image.resize"`` for ``keras.ops.image.resize``);
    ``args``/``kwargs`` are the call's arguments as Keras sees them, each tensor given as a
    :class:`TensorArg` marker (``TensorArg(0)`` for the first tensor the reader holds, ...)
    and everything else as a plain constant (numbers, nested lists, tuples, ``slice``,
    ``Ellipsis``, ``None``). It returns the bound layer and ``order``: the marker indices in
    the order the node's inputs must be listed (``x - y`` -> ``[0, 1]``, ``3.0 - x`` -> ``[0]``).
    A bad call raises :class:`~archcalc.errors.SpecError` (unknown op with a did-you-mean,
    unexpected keyword, missing argument, a tensor where a constant is needed).
``resolve(spelling) -> op name | None``
    The one table (:data:`SPELLINGS`) from the other spellings to ``keras.ops`` names: Python
    operators (``"+"``, ``"u-"``, ``"[]"``, ``"@"``...), ``tf.*``/``tf.math.*``/``tf.nn.*``
    (``tensorflow.`` and ``tf.compat.v1.`` fold to ``tf.``), the Keras 2 backend
    (``keras.backend.*``, ``K.*``), ``keras.activations.*``, and the tf.keras 2 ``TFOpLambda``
    function strings (pass ``"tf." + function``: ``"math.add"`` is ``tf.math.add``). ``keras.ops.X`` (and
    ``keras.ops.numpy.X``...) is ``X`` itself. :func:`bind_spelling` resolves and binds in
    one step, renaming the foreign arguments (``tf.transpose(a, perm)`` is
    ``transpose(x, axes)``) and applying that API's defaults (``K.expand_dims`` adds the
    last axis).
``layer.code(input_names) -> str``
    Keras 3 code for the bound op (``keras.ops.mean(x, axis=1)``), for code generators.
``op_for_class(class_name) -> op type | None``
    The op type for a class name Keras 3 writes in ``.keras``/``.json`` files (module
    ``keras.src.ops.*``): ``"Add"``, ``"Mean"``, ``"GetItem"``, ``"NotEqual"``...

Names and display, as Keras 3 does (checked with ``model.summary()`` and
``model.operations`` in Keras 3.15): an op node's type is the Keras ``Operation`` class name
(``Add``, ``TrueDivide``, ``GetItem``, ``Relu``), shown as ``add (Add)``; its name is that
class name in snake case (``add``, ``get_item``, ``true_divide``), made unique with ``_1``,
``_2``... like a layer's. Keras lists op nodes in ``model.operations`` but not in
``model.layers``; they have 0 parameters. Files keep the names they were saved with
(tf.keras 2 ``TFOpLambda`` nodes are named ``tf.math.add`` and so on). One difference:
``keras.activations.relu(x)`` is recorded by Keras as class ``ReLU`` (named ``re_lu``) and
read here as the ``relu`` op (type ``Relu``).
Use :func:`default_name` for the base name.

Op types are kept out of ``LayerType.registry`` (several Keras op classes share a layer's
class name: ``Add``, ``Reshape``, ``Concatenate``); they live in :data:`OPS` (by op name
and alias) and :data:`OPS_BY_CLASS` (by Keras class name).

The modules, one job each: ``arguments`` (tensor markers, constants, :class:`Param`),
``axes`` (axes and broadcasting), ``binding`` (the steps of :func:`bind_op`), ``base``
(:class:`Op`, the tables, :func:`bind_op`), one module per op family (``elementwise``,
``reductions``, ``movement``, ``indexing``, ``products``, ``image``) and ``spellings``
(:data:`SPELLINGS`, :func:`resolve`, :func:`bind_spelling`). Importing this package
registers every family; nothing imports it before a model has an op.
"""

from __future__ import annotations

from archcalc.layers.ops.arguments import REQUIRED, Param, ShapedConstant, TensorArg
from archcalc.layers.ops.axes import broadcast, canonical_axis
from archcalc.layers.ops.base import OPS, OPS_BY_CLASS, Op, bind_op, default_name, op_for_class

# the families register their ops in this order, the order OPS keeps (a did-you-mean tie goes
# to the earlier op)
# isort: off
from archcalc.layers.ops.elementwise import (
    Binary,
    Clip,
    Comparison,
    Cumsum,
    LogSoftmax,
    Normalize,
    Passthrough,
    Softmax,
    Unary,
    Where,
)
from archcalc.layers.ops.reductions import Mean, Reduce, Std, Var, reduce_shape
from archcalc.layers.ops.movement import (
    Concatenate,
    DataMovement,
    ExpandDims,
    Moveaxis,
    OneHot,
    Repeat,
    Reshape,
    ShapeOf,
    Squeeze,
    Stack,
    Swapaxes,
    Tile,
    Transpose,
)
from archcalc.layers.ops.image import Resize
from archcalc.layers.ops.indexing import GetItem
from archcalc.layers.ops.products import Matmul
# isort: on
from archcalc.layers.ops.spellings import (
    SPELLINGS,
    Spelling,
    bind_spelling,
    normalize_spelling,
    resolve,
)

# keras.activations.relu records its own class (in keras.src.activations), not ops.relu's
OPS_BY_CLASS["ReLU"] = OPS["relu"]

__all__ = [
    "OPS", "OPS_BY_CLASS", "REQUIRED", "SPELLINGS", "Binary", "Clip", "Comparison", "Concatenate", "Cumsum",
    "DataMovement", "ExpandDims", "GetItem", "LogSoftmax", "Matmul", "Mean", "Moveaxis", "Normalize", "OneHot",
    "Op", "Param", "Passthrough", "Reduce", "Repeat", "Reshape", "Resize", "ShapeOf", "ShapedConstant",
    "Softmax", "Spelling", "Squeeze", "Stack", "Std", "Swapaxes", "TensorArg", "Tile", "Transpose", "Unary",
    "Var", "Where", "bind_op", "bind_spelling", "broadcast", "canonical_axis", "default_name",
    "normalize_spelling", "op_for_class", "reduce_shape", "resolve",
]
