# An embedding model ending in Dropout, never compiled itself: its user adds the head.
import keras
from keras import layers

encoder = keras.Sequential([keras.Input((300,)), layers.Dense(128, activation='relu'),
                            layers.Dense(64), layers.Dropout(0.2)], name='encoder')
