"""A DCGAN-style class trained by a custom GradientTape step, called from a loop over a tf.data
dataset (whose length the reader does not follow): both models are trained in one step, the
discriminator's update comes last, so it is the model the program trains last."""
import tensorflow as tf
from tensorflow.keras import Input, Model, Sequential
from tensorflow.keras.layers import Conv2D, Dense, Flatten, LeakyReLU, Reshape


class TinyGAN:
    def __init__(self, rows, cols, z=16):
        self.shape = (rows, cols, 1)
        self.z = z
        self.discriminator = self.build_discriminator()
        self.generator = self.build_generator()
        self.g_opt = tf.keras.optimizers.Adam(1e-4)
        self.d_opt = tf.keras.optimizers.Adam(1e-4)

    def build_generator(self):
        model = Sequential()
        model.add(Dense(7 * 7 * 8, activation="relu", input_dim=self.z))
        model.add(Reshape((7, 7, 8)))
        model.add(Conv2D(1, 3, padding="same", activation="tanh"))
        noise = Input(shape=(self.z,))
        return Model(noise, model(noise))

    def build_discriminator(self):
        model = Sequential()
        model.add(Conv2D(16, 3, strides=2, input_shape=self.shape, padding="same"))
        model.add(LeakyReLU(0.2))
        model.add(Flatten())
        model.add(Dense(1))
        model.summary()
        img = Input(shape=self.shape)
        return Model(img, model(img))

    def train(self, dataset, epochs):
        for epoch in range(epochs):
            for batch in dataset:
                self.train_step(batch)

    def train_step(self, images):
        noise = tf.random.normal([32, self.z])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = self.generator(noise, training=True)
            real_out = self.discriminator(images, training=True)
            fake_out = self.discriminator(fake, training=True)
            g_loss = tf.reduce_mean(fake_out)
            d_loss = tf.reduce_mean(real_out) - tf.reduce_mean(fake_out)
        g_grads = g_tape.gradient(g_loss, self.generator.trainable_variables)
        d_grads = d_tape.gradient(d_loss, self.discriminator.trainable_variables)
        self.g_opt.apply_gradients(zip(g_grads, self.generator.trainable_variables))
        self.d_opt.apply_gradients(zip(d_grads, self.discriminator.trainable_variables))


(x_train, _), _ = tf.keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 7, 7, 16)[..., :1].astype("float32")
dataset = tf.data.Dataset.from_tensor_slices(x_train).shuffle(1000).batch(32)
gan = TinyGAN(7, 7)
gan.train(dataset, epochs=20)
