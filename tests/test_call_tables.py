"""The Python reader's call tables (readers/python/keras_api.py): every row names a handler that
exists, so that a misspelt row fails here rather than on the first program that makes the call."""

from __future__ import annotations

import inspect

import pytest

from archcalc.readers.python import keras_api
from archcalc.readers.python.interpreter import Interpreter

TABLES = {
    "KERAS_CALLS": keras_api.KERAS_CALLS,
    "KERAS_MODULES": keras_api.KERAS_MODULES,
    "LIBRARY_CALLS": keras_api.LIBRARY_CALLS,
    "LIBRARY_FAMILIES": keras_api.LIBRARY_FAMILIES,
    "LIBRARY_CALLS_AFTER_KERAS": keras_api.LIBRARY_CALLS_AFTER_KERAS,
    "LIBRARY_CALLS_LAST": keras_api.LIBRARY_CALLS_LAST,
}
HANDLER_PARAMETERS = ["func", "args", "kwargs", "e"]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_row_names_a_handler_of_the_row_signature(name: str) -> None:
    bad = []
    for key, handler in TABLES[name].items():
        fn = getattr(Interpreter, handler, None) if isinstance(handler, str) else handler
        if not callable(fn):
            bad.append(f"{key}: {handler!r} is no method of the Interpreter")
            continue
        params = [p for p in inspect.signature(fn).parameters if p != "self"]
        if params != HANDLER_PARAMETERS:
            bad.append(f"{key}: {getattr(fn, '__qualname__', fn)} takes {params}")
    assert not bad, f"{name}: " + "; ".join(bad)
