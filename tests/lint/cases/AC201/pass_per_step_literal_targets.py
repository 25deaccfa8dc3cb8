import keras
import numpy as np

seqs = [[[0], [1], [1], [0]], [[1], [1], [0], [0]]]
marks = [[[0], [1], [0], [1]], [[1], [0], [1], [0]]]
tagger = keras.Sequential([keras.Input((4, 1)), keras.layers.GRU(6, return_sequences=True),
                           keras.layers.Dense(1, activation='sigmoid')])
tagger.compile('adam', 'binary_crossentropy')
tagger.fit(np.asarray(seqs), np.asarray(marks), epochs=5)
