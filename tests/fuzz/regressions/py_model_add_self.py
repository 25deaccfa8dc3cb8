from keras import Sequential, layers
model = Sequential([layers.Input((4,)), layers.Dense(2)])
model.add(model)
