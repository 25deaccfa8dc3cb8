"""The course notes' sentiment-analysis model: padded sequences of 5 token ids from a
100-word vocabulary, a 16-dimensional embedding, an LSTM and a sigmoid output.

The data preparation is kept as in the notes; archcalc skips it (it does not change the
model). Keras 3 deprecates Embedding's input_length (it leaves the model unbuilt); archcalc
reads it as the input length, as Keras 2 did."""
from keras.layers import LSTM, Dense, Embedding
from keras.models import Sequential
from keras.preprocessing.sequence import pad_sequences
from keras.preprocessing.text import Tokenizer
from sklearn.model_selection import train_test_split as split

txt = {'I love you': 1, 'This is awful': 0,
       'I feel great': 1, 'This is terrible': 0}

tokenizer = Tokenizer(num_words=100,
                      oov_token="<OOV>").fit_on_texts(txt.keys())
padded = pad_sequences(tokenizer.texts_to_sequences(txt.keys()),
                       maxlen=5)

X_train, X_test, y_train, y_test = split(padded, txt.values(),
                                         test_size=0.2)

model = Sequential([Embedding(100, 16, input_length=5),
                    LSTM(32), Dense(1, activation='sigmoid')])

model.compile(optimizer='adam', loss='binary_crossentropy',
              metrics=['accuracy'])
