"""models.py: the classifier used by train.py (this file only defines it)."""
import keras
from keras import layers


def conv_block(x, filters, name):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_conv1")(x)
    x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_conv2")(x)
    return layers.MaxPooling2D(name=f"{name}_pool")(x)


def build_model(input_shape=(64, 64, 3), num_classes=6, width=32, dropout=0.4):
    """A VGG-style classifier.

    Args:
        input_shape: image size with channels last.
        num_classes: size of the softmax.
    """
    inputs = keras.Input(shape=input_shape, name="image")
    x = inputs
    for i, mult in enumerate((1, 2, 4)):
        x = conv_block(x, width * mult, name=f"block{i + 1}")
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(256, activation="relu", name="fc1")(x)
    x = layers.Dropout(dropout, name="drop")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs, outputs, name="vgg_like")
    model.compile(optimizer=keras.optimizers.Adam(3e-4), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def load_trained(path, **kwargs):
    model = build_model(**kwargs)
    model.load_weights(path)
    return model
