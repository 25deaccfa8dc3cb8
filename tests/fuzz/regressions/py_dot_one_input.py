"""A MobileNetV3-flavoured block stack with hard-swish written as tensor arithmetic."""
import keras
from keras import layers


def hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x):
    return layers.Multiply()([x, hard_sigmoid(x)])




























def se_block(inputs, filters, ratio=4):
    x = layers.GlobalAveragePooling2D(keepdims=True)(inputs)
    x = layers.Dot(axes=(1, 2))(x)
    x = layers.Conv2D(filters, 1)(x)
    x = hard_sigmoid(x)
    return layers.Multiply()([inputs, x])


def bneck(x, expand, out, kernel, stride, use_se):
    shortcut = x
    in_ch = x.shape[-1]
    x = layers.Conv2D(expand, 1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = hard_swish(x)
    x = layers.DepthwiseConv2D(kernel, strides=stride, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = hard_swish(x)
    if use_se:
        x = se_block(x, expand)
    x = layers.Conv2D(out, 1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    if stride == 1 and in_ch == out:
        x = layers.LayerNormalization(axis=(1, 2))([shortcut, x])
    return x


inputs = keras.Input(shape=(96, 96, 3))
x = layers.Rescaling(1.0 / 255)(inputs)
x = layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = hard_swish(x)
x = bneck(x, 16, 16, 3, 2, True)
x = bneck(x, 72, 24, 3, 2, False)
x = bneck(x, 88, 24, 3, 1, False)
x = bneck(x, 96, 40, 5, 2, True)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(128)(x)
x = hard_swish(x)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="tiny_mnv3")
model.summary()
