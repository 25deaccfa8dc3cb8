"""A subclassed model that unrolls an RNN cell over tf.unstack(x, axis=1).

Written for the real-program corpus (issue 23, second set): the cell is called once per time step of tf.unstack(x, axis=1);
the embedding and the cell are built on the batch of 32 fixed in the initial state.
"""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

batchsz, maxlen, units = 32, 20, 8


class CellRNN(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.state0 = [tf.zeros([batchsz, units])]
        self.embedding = layers.Embedding(1000, 16)
        self.cell = layers.SimpleRNNCell(units, dropout=0.2)
        self.outlayer = layers.Dense(1)

    def call(self, inputs, training=None):
        x = self.embedding(inputs)
        state = self.state0
        for word in tf.unstack(x, axis=1):
            out, state = self.cell(word, state, training)
        return tf.sigmoid(self.outlayer(out))


(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=1000)
x_train = keras.preprocessing.sequence.pad_sequences(x_train[:64], maxlen=maxlen)
model = CellRNN(units)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train[:64], batch_size=batchsz, epochs=1)
