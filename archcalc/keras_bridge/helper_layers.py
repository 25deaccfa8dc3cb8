"""Small Keras layer classes for layers archcalc reads that ``keras.layers`` does not have.

- ``LayerScale`` and ``StochasticDepth``: the helpers ConvNeXt (``keras.applications``)
  defines and saves in its configs (archcalc.layers.nested).
- ``CustomScaleLayer``: InceptionResNetV2's residual join, x + r * scale (no weights).
- ``Sampling``: the course notes' VAE reparameterisation, z = mu + exp(log(sigma^2) / 2) * eps
  with eps ~ N(0, 1). A spec declares it as a custom layer (``samples/vae/archcalc-layers.yaml``)
  taking ``[z_mean, z_log_var]``; ``archcalc train`` adds the KL term to the loss.

Each class is kept here as source text, written as it is into the code ``emit`` prints and
executed once (it is archcalc's own code, never the user's) by :func:`classes` for
``to_keras``/``verify``/``train``, so both paths build the very same layer. The classes are
registered as Keras serializables (package ``archcalc``), so a saved ``.keras`` file loads
back in a process that has built or imported them.
"""

from __future__ import annotations

from typing import Any

_LAYER_SCALE = '''
@keras.saving.register_keras_serializable(package="archcalc")
class LayerScale(keras.layers.Layer):
    """Multiplies the last axis by a learned vector gamma (ConvNeXt's layer scale)."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(
            name="gamma",
            shape=(self.projection_dim,),
            initializer=keras.initializers.Constant(self.init_values),
        )

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.projection_dim)

    def get_config(self):
        config = super().get_config()
        config.update(init_values=self.init_values, projection_dim=self.projection_dim)
        return config
'''

_STOCHASTIC_DEPTH = '''
@keras.saving.register_keras_serializable(package="archcalc")
class StochasticDepth(keras.layers.Layer):
    """Drops a whole residual branch per sample while training (drop path); no weights."""

    def __init__(self, drop_path_rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=None):
        if not training or self.drop_path_rate == 0:
            return x
        keep = 1.0 - self.drop_path_rate
        shape = (keras.ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        noise = keras.random.uniform(shape, seed=self.seed_generator, dtype=x.dtype)
        return x / keep * keras.ops.floor(keep + noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(drop_path_rate=self.drop_path_rate, seed=self.seed)
        return config
'''

_SAMPLING = '''
@keras.saving.register_keras_serializable(package="archcalc")
class Sampling(keras.layers.Layer):
    """z = z_mean + exp(z_log_var / 2) * epsilon, epsilon ~ N(0, 1) (the reparameterisation)."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(keras.ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + keras.ops.exp(0.5 * z_log_var) * epsilon

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update(seed=self.seed)
        return config
'''

#: Keras class name -> the source of its class (used by codegen and by build)
_CUSTOM_SCALE = '''
@keras.saving.register_keras_serializable(package="archcalc")
class CustomScaleLayer(keras.layers.Layer):
    """Adds a scaled residual branch to its shortcut: inputs[0] + inputs[1] * scale."""

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def get_config(self):
        config = super().get_config()
        config.update(scale=self.scale)
        return config
'''

SOURCES: dict[str, str] = {
    "LayerScale": _LAYER_SCALE,
    "StochasticDepth": _STOCHASTIC_DEPTH,
    "CustomScaleLayer": _CUSTOM_SCALE,
    "Sampling": _SAMPLING,
}

_CLASSES: dict[str, Any] = {}


def source(names: list[str]) -> str:
    """The class definitions for ``names`` (in SOURCES order), ready to paste into a module."""
    return "\n".join(SOURCES[n].strip("\n") + "\n\n" for n in SOURCES if n in names).rstrip("\n")


def classes() -> dict[str, Any]:
    """The Keras classes, built once per process (imports Keras)."""
    if not _CLASSES:
        from .backend import import_keras

        namespace: dict[str, Any] = {"keras": import_keras()}
        for name, text in SOURCES.items():
            exec(compile(text, f"<archcalc helper layer {name}>", "exec"), namespace)  # noqa: S102
            _CLASSES[name] = namespace[name]
    return _CLASSES
