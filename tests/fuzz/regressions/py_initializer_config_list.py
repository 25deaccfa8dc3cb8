import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, kernel_initializer={'class_name': 'GlorotUniform', 'config': [1, 2]})])
