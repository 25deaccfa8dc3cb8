"""CIFAR-10 ResNet-ish model built from helper functions in a loop (Keras 3)."""
import keras
from keras import layers, regularizers

WEIGHT_DECAY = 1e-4


def conv_bn(x, filters, kernel=3, strides=1, activation=True):
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                      kernel_regularizer=regularizers.l2(WEIGHT_DECAY))(x)
    x = layers.BatchNormalization()(x)
    if activation:
        x = layers.Activation("relu")(x)
    return x


def residual_block(x, filters, downsample=False):
    strides = 2 if downsample else 1
    shortcut = x
    y = conv_bn(x, filters, strides=strides)
    y = conv_bn(y, filters, activation=False)
    if downsample or shortcut.shape[-1] != filters:
        shortcut = conv_bn(shortcut, filters, kernel=1, strides=strides, activation=False)
    y = layers.add([y, shortcut])
    return layers.Activation("relu")(y)


def build_resnet(input_shape, num_classes, stages=(16, 32, 64), blocks_per_stage=2):
    inputs = keras.Input(shape=input_shape)
    x = conv_bn(inputs, stages[0])
    for i, filters in enumerate(stages):
        for j in range(blocks_per_stage):
            x = residual_block(x, filters, downsample=(j == 0 and i > 0))
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="resnet_small")


(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
num_classes = 10

model = build_resnet(x_train.shape[1:], num_classes)
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()

for epoch in range(3):
    model.fit(x_train, y_train, batch_size=128, epochs=1, verbose=2)
    _, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"epoch {epoch}: test accuracy {acc:.3f}")
