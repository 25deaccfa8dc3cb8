"""The course notes' LSTM example: 64 units over sequences of 10 features.
Parameters: 4 x 64 x (10 + 64 + 1) = 19,200."""
from keras import layers
from keras.models import Sequential

units = 64
input_dim = 10

model = Sequential()
model.add(layers.LSTM(
    units,
    dropout=0.2,
    recurrent_dropout=0.2,
    input_shape=(None, input_dim)
))
