from keras import Sequential, layers
model = Sequential()
model.add(layers.Input((4,)))
for i in range(100000):
    model.add(layers.Dense(2))
