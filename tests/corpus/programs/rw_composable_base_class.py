"""A "composable" model family in the style of some design-pattern books: a plain base class holds
the layer settings (its __init__ reached through super().__init__), builder methods take their
groups as **kwargs, pop the first group, delete the keys they used, branch on isinstance, and the
program trains the model through a method of the object."""
import numpy as np
from tensorflow.keras import Input, Model
from tensorflow.keras.layers import Activation, Add, BatchNormalization, Conv2D, Dense, GlobalAveragePooling2D


class Composable(object):
    bias = True
    reg = None

    def __init__(self, reg=None, bias=True):
        if reg is not None:
            self.reg = reg
        if bias is not None:
            self.bias = bias
        self._model = None

    @property
    def model(self):
        return self._model

    def Conv2D(self, x, n_filters, kernel_size, strides=(1, 1), padding="valid", **hyperparameters):
        bias = hyperparameters["bias"] if "bias" in hyperparameters else self.bias
        return Conv2D(n_filters, kernel_size, strides=strides, padding=padding, use_bias=bias,
                      kernel_regularizer=self.reg)(x)


class TinyResNet(Composable):
    groups = {2: [{"n_filters": 8, "n_blocks": 1}, {"n_filters": 16, "n_blocks": 1}]}

    def __init__(self, n_layers, input_shape=(16, 16, 3), n_classes=10, bias=False):
        super().__init__(bias=bias)
        if isinstance(n_layers, int):
            groups = self.groups[n_layers]
        else:
            groups = n_layers
        inputs = Input(input_shape)
        x = self.Conv2D(inputs, 8, (3, 3), padding="same")
        x = self.learner(x, groups=groups)
        x = GlobalAveragePooling2D()(x)
        outputs = Activation("softmax")(Dense(n_classes)(x))
        self._model = Model(inputs, outputs)

    def learner(self, x, **metaparameters):
        groups = metaparameters["groups"]
        x = self.group(x, strides=(1, 1), **groups.pop(0))
        for group in groups:
            x = self.group(x, **group)
        return x

    def group(self, x, strides=(2, 2), **metaparameters):
        n_blocks = metaparameters["n_blocks"]
        del metaparameters["n_blocks"]
        x = self.projection_block(x, strides=strides, **metaparameters)
        for _ in range(n_blocks):
            x = self.identity_block(x, **metaparameters)
        return x

    def identity_block(self, x, **metaparameters):
        n_filters = metaparameters["n_filters"]
        del metaparameters["n_filters"]
        y = BatchNormalization()(x)
        y = self.Conv2D(y, n_filters, (3, 3), padding="same", **metaparameters)
        return Add()([x, y])

    def projection_block(self, x, strides=(2, 2), **metaparameters):
        n_filters = metaparameters["n_filters"]
        shortcut = self.Conv2D(x, n_filters, (1, 1), strides=strides)
        y = BatchNormalization()(x)
        y = self.Conv2D(y, n_filters, (3, 3), strides=strides, padding="same")
        return Add()([shortcut, y])

    def training(self, x, y, epochs=1):
        self.model.compile(loss="categorical_crossentropy", optimizer="adam")
        self.model.fit(x, y, epochs=epochs)


probe_in = Input((4,))
probe = Model(probe_in, Dense(2)(probe_in))  # a first, smaller model, trained before the real one
probe.compile(loss="mse", optimizer="adam")
probe.fit(np.zeros((8, 4)), np.zeros((8, 2)))

groups = [{"n_filters": 8, "n_blocks": 1}, {"n_filters": 16, "n_blocks": 2}]
net = TinyResNet(groups, input_shape=(16, 16, 3), n_classes=10)
net.training(None, None, epochs=2)
