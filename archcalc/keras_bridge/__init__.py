"""The Keras bridge: emit Keras code, build, verify and train models with real Keras.

This package is the only part of archcalc that imports TensorFlow/Keras, and only inside
functions (``archcalc[keras]`` extra).
"""
