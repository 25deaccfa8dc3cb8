import keras
import numpy as np

data = np.load("frames.npy")
step = data.shape[1]  # a named size: not known here
x = keras.Input((32, 32, 3))
y = keras.layers.Conv2D(8, 3, strides=step, dilation_rate=2)(x)
model = keras.Model(x, y)
