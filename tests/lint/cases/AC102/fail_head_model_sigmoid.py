# A multi-class head in its own functional model, applied to features; sigmoid units.
import tensorflow as tf

feats = tf.keras.Input(shape=(256,))
h = tf.keras.layers.Dense(128, activation='relu')(feats)
scores = tf.keras.layers.Dense(7, activation='sigmoid')(h)  # lint-expect: AC102
classifier = tf.keras.Model(feats, scores, name='classifier')

x_in = tf.keras.Input(shape=(256,))
model = tf.keras.Model(x_in, classifier(tf.keras.layers.Dropout(0.2)(x_in)))
model.compile('adam', 'categorical_crossentropy')
