from keras import Sequential, layers
model = Sequential([layers.Input((4,)), layers.Dense(int(1e400))])
