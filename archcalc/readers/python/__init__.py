"""The Keras Python front-end: reads model code statically, never runs it (see interpreter.py)."""

from archcalc.readers.python.interpreter import load, load_text

__all__ = ["load", "load_text"]
