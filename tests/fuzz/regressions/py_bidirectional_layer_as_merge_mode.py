import keras
from keras import layers
model = keras.Sequential([keras.Input((10, 4)), layers.Bidirectional(layers.LSTM(8), layers.LSTM(8))])
