# Two one-hot columns with binary cross-entropy: the two units are one yes/no, scored twice.
from tensorflow import keras

(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=5000)
x_train = keras.preprocessing.sequence.pad_sequences(x_train, maxlen=200)
y_train = keras.utils.to_categorical(y_train, 2)
model = keras.Sequential([keras.layers.Embedding(5000, 32, input_length=200),
                          keras.layers.GlobalAveragePooling1D(),
                          keras.layers.Dense(2, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=2)
