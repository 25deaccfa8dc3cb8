import pandas as pd
from keras.layers import Dense
from keras.models import Sequential

df = pd.read_csv('iris.csv')
X = df.iloc[:, 0:4].values
y = pd.get_dummies(df['species']).values
model = Sequential()
model.add(Dense(8, input_dim=4, activation='relu'))
model.add(Dense(3, activation='softmax'))
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')  # lint-expect: AC108
model.fit(X, y, epochs=20)
