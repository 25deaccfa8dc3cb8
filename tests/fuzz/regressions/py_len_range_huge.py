from keras import Sequential, layers
model = Sequential([layers.Input((4,)), layers.Dense(len(range(int(1e300))))])
