"""Writes tests/data/tf_keras2_ops.json: a tf.keras 2 functional model (built with the
tf_keras package, 2.21) whose tensor operations tf.keras saves as TFOpLambda and
SlicingOpLambda layers, with each layer's output shape and the parameter counts as tf_keras
reports them. Run: python tests/data/make_tf_keras2_ops.py tests/data/tf_keras2_ops.json
(needs `pip install tf_keras`; the tests only read the file)."""

import json
import sys

import tensorflow as tf
import tf_keras as keras
from tf_keras import backend as K

a = keras.Input((5, 4), name="a")
b = keras.Input((5, 4), name="b")
ids = keras.Input((None,), dtype="int32", name="ids")
x = a + 3.0
x = keras.layers.ReLU(6.0)(x) * (1.0 / 6.0)  # MobileNetV3's hard sigmoid
y = tf.reduce_mean(x, axis=1, keepdims=True)
z = keras.layers.Dense(3)(y)
outs = [
    -z, tf.reshape(z, (-1, 3)), 3.0 - a, a - b, a / b, tf.maximum(a, 0.0), tf.transpose(a, perm=[0, 2, 1]),
    tf.squeeze(a[:, :1], axis=1), K.sum(a, axis=1), tf.nn.softmax(a), tf.sigmoid(a), tf.math.sqrt(a),
    tf.stack([a, b], axis=1), tf.cast(a, "int32"), a[..., None], a[:, 1:3, ::2], tf.nn.silu(a), K.square(a),
    2 * a, a @ tf.transpose(b, [0, 2, 1]), K.concatenate([a, b]), K.reshape(a, (-1, 20)),
    tf.math.reduce_max(a, axis=[1, 2]), tf.identity(a), tf.stop_gradient(a), tf.add(a, b), K.exp(a),
    tf.math.log(a), tf.expand_dims(K.mean(a, axis=-1), -1), tf.concat([a, b], axis=-1), a ** 2,
    tf.matmul(a, b, transpose_b=True), tf.nn.relu(a), a[:, -1], K.max(a, axis=-1, keepdims=True),
    tf.one_hot(ids, 7), tf.reshape(a, (tf.shape(a)[0], -1)), tf.tile(a, [1, 2, 1]), tf.where(a > 0, a, b), tf.clip_by_value(a, 0.0, 6.0),
]
emb = keras.layers.Embedding(50, 8, mask_zero=True)(ids)
outs.append(keras.layers.LSTM(4)(emb))
model = keras.Model([a, b, ids], outs)
cfg = json.loads(model.to_json())
expected = {layer.name: [None if d is None else int(d) for d in layer.output.shape]
            for layer in model.layers if type(layer).__name__ != "InputLayer"}
data = {
    "about": (__doc__ or "").strip(), "tf_keras": keras.__version__, "tensorflow": tf.__version__,
    "expected_shapes": expected,
    "trainable_params": int(sum(w.shape.num_elements() for w in model.trainable_weights)),
    "non_trainable_params": int(sum(w.shape.num_elements() for w in model.non_trainable_weights)),
    "model": cfg,
}
with open(sys.argv[1], "w") as f:
    f.write(json.dumps(data, indent=1))
