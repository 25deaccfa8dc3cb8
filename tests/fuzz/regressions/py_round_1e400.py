from keras import Sequential, layers
model = Sequential([layers.Input((4,)), layers.Dense(round(1e400))])
