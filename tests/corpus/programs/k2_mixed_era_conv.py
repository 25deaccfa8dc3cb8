"""A Keras 2 file that still uses some Keras 1 names: Convolution2D with a tuple kernel and
W_regularizer (Keras 2 converted W_regularizer to kernel_regularizer and kept the alias).

Written for the real-program corpus (issue 23): the era is Keras 2 (tuple kernel, padding=,
kernel_initializer=); the Keras 1 spellings are only aliases.
"""
from keras.layers import Activation, Dense, Flatten, Input
from keras.layers.convolutional import Convolution2D, MaxPooling2D
from keras.layers.normalization import BatchNormalization
from keras.models import Model
from keras.regularizers import l2

weight_decay = 0.0005


def conv_bn(x, filters):
    x = Convolution2D(filters, (3, 3), padding="same", kernel_initializer="he_normal",
                      W_regularizer=l2(weight_decay), use_bias=False)(x)
    x = BatchNormalization(axis=-1)(x)
    return Activation("relu")(x)


ip = Input(shape=(32, 32, 3))
x = conv_bn(ip, 16)
x = conv_bn(x, 16)
x = MaxPooling2D((2, 2))(x)
x = conv_bn(x, 32)
x = Flatten()(x)
out = Dense(10, activation="softmax")(x)
model = Model(ip, out)
model.summary()
