"""EfficientNet-ish stem and blocks for tf.keras 2, activations written with tf ops."""
import tensorflow as tf
from tensorflow.keras import layers, Model


def swish(x):
    return x * tf.nn.sigmoid(x)


def hswish(x):
    return x * tf.nn.relu6(x + 3.0) / 6.0


def mb_block(x, filters, expand=4, stride=1):
    in_filters = x.shape[-1]
    h = layers.Conv2D(in_filters * expand, 1, use_bias=False)(x)
    h = layers.BatchNormalization()(h)
    h = swish(h)
    h = layers.DepthwiseConv2D(3, strides=stride, padding='same', use_bias=False)(h)
    h = layers.BatchNormalization()(h)
    h = hswish(h)
    h = layers.Conv2D(filters, 1, use_bias=False)(h)
    h = layers.BatchNormalization()(h)
    if stride == 1 and in_filters == filters:
        h = h + x
    return h


inp = layers.Input(shape=(128, 128, 3))
x = layers.Conv2D(24, 3, strides=2, padding='same', use_bias=False)(inp)
x = layers.BatchNormalization()(x)
x = tf.nn.relu(x)
x = mb_block(x, 24)
x = mb_block(x, 40, stride=2)
x = mb_block(x, 40)
x = mb_block(x, 80, stride=2)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
out = layers.Dense(3, activation='softmax')(x)
model = Model(inp, out)
model.summary()
