# "validation accuracy higher than training accuracy, training loss jumps"
from keras.layers import Dense, Dropout
from keras.models import Sequential

model = Sequential()
model.add(Dense(128, activation='relu', input_dim=100))
model.add(Dense(5, activation='softmax'))
model.add(Dropout(0.3))  # lint-expect: AC315
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
