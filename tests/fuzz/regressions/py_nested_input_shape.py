import keras
model = keras.Sequential([keras.layers.Dense(4, input_shape=[[4], 3])])
