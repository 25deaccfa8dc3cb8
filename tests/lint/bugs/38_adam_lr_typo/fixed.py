# Fixed: Adam(lr=1e2) typo for 1e-2
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import Adam

model = Sequential()
model.add(Dense(32, activation='relu', input_dim=4))
model.add(Dense(3, activation='softmax'))
model.compile(optimizer=Adam(lr=1e-2), loss='categorical_crossentropy', metrics=['accuracy'])
