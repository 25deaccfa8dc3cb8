from keras import Sequential, layers
model = Sequential([layers.Input((4,)), layers.Dense(65536.0 ** 64)])
