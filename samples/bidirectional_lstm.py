"""The notes' LSTM example made bidirectional ("for bidirectional models, the number of
parameters is doubled"): 2 x 4 x 64 x (10 + 64 + 1) = 38,400."""
from keras import layers
from keras.models import Sequential

units = 64
input_dim = 10

model = Sequential()
model.add(layers.Bidirectional(
    layers.LSTM(units, dropout=0.2, recurrent_dropout=0.2),
    input_shape=(None, input_dim)
))
