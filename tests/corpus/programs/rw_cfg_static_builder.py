"""A VGG-style backbone built by a static method that loops over a configuration list.

Written for the real-program corpus (issue 23): the list reaches the loop through the
constructor (self.cfg), a @property returns the model, and `__main__` picks the configuration.
"""
from tensorflow.keras.layers import Activation, BatchNormalization, Conv2D, Input, MaxPooling2D
from tensorflow.keras.models import Model

CONFIGS = {
    "S": [16, "M", 32, "M"],
    "L": [16, 16, "M", 32, 32, "M", 64, "M"],
}


class Backbone:
    def __init__(self, cfg, input_shape=(32, 32, 1)):
        self.cfg = cfg
        self.input_shape = input_shape
        self._model = None
        self.build_model()

    def build_model(self):
        inputs = Input(shape=self.input_shape, name="x")
        x = Backbone.make_layers(self.cfg, inputs)
        self._model = Model(inputs, x, name="backbone")

    @property
    def model(self):
        return self._model

    @staticmethod
    def make_layers(cfg, inputs, batch_norm=True):
        x = inputs
        for item in cfg:
            if item == "M":
                x = MaxPooling2D()(x)
            else:
                x = Conv2D(item, kernel_size=3, padding="same")(x)
                if batch_norm:
                    x = BatchNormalization()(x)
                x = Activation("relu")(x)
        return x


if __name__ == "__main__":
    net = Backbone(CONFIGS["L"])
    net.model.summary()
