"""A subclassed ResNet whose blocks are added in a loop to a keras.Sequential attribute.

Written for the real-program corpus (issue 23): custom block layers go into
`self.blocks = keras.Sequential()` with `.add()` in nested loops; the model is built with
model.build() and trained with fit.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Block(keras.layers.Layer):
    def __init__(self, channels, strides=1, project=False, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = keras.layers.Conv2D(channels, 3, strides=strides, padding="same", use_bias=False)
        self.bn1 = keras.layers.BatchNormalization()
        self.conv2 = keras.layers.Conv2D(channels, 3, padding="same", use_bias=False)
        self.bn2 = keras.layers.BatchNormalization()
        self.project = keras.layers.Conv2D(channels, 1, strides=strides) if project else None

    def call(self, x, training=None):
        y = tf.nn.relu(self.bn1(self.conv1(x), training=training))
        y = self.bn2(self.conv2(y), training=training)
        shortcut = self.project(x) if self.project is not None else x
        return tf.nn.relu(y + shortcut)


class ResNet(keras.Model):
    def __init__(self, stages=2, blocks_per_stage=2, width=8, num_classes=10, **kwargs):
        super().__init__(**kwargs)
        self.stem = keras.layers.Conv2D(width, 3, padding="same")
        self.blocks = keras.models.Sequential(name="blocks")
        channels = width
        for stage in range(stages):
            for i in range(blocks_per_stage):
                if stage > 0 and i == 0:
                    block = Block(channels * 2, strides=2, project=True)
                    channels *= 2
                else:
                    block = Block(channels)
                self.blocks.add(block)
        self.pool = keras.layers.GlobalAveragePooling2D()
        self.fc = keras.layers.Dense(num_classes)

    def call(self, inputs, training=None):
        x = self.stem(inputs)
        x = self.blocks(x, training=training)
        return self.fc(self.pool(x))


model = ResNet()
model.build(input_shape=(None, 32, 32, 3))
model.summary()
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(np.zeros((4, 32, 32, 3), "float32"), np.zeros((4,), "int32"), epochs=1)
