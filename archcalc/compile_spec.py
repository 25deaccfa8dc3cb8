"""Reading what a model's ``compile()`` was given, in any form a front-end keeps it.

A loss or optimizer may be a name (``'adam'``), a call written as text
(``'keras.optimizers.SGD(0.01, momentum=0.9)'``: positional arguments are kept in order
under :data:`POSITIONAL`), a mapping with a class key
(``{class: SGD, momentum: 0.9}``), Keras's serialisation (``{class_name: Adam, config: {...}}``)
or a one-key mapping (``{sgd: {momentum: 0.9}}``). Lint (losses, learning rate) and the
memory estimate (optimizer slots) both read it through :func:`split_spec`.
"""

from __future__ import annotations

import ast
from typing import Any

_CLASS_KEYS = ("class", "class_name", "name", "loss", "type")
#: the options key that holds a call's positional arguments: ``SGD(10.0)`` -> {POSITIONAL: [10.0]}
POSITIONAL = "*args"


def last_part(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def parse_call_text(text: str) -> tuple[str | None, dict[str, Any]]:
    """'keras.losses.X(from_logits=True)' -> ('X', {'from_logits': True}); a bare name too."""
    text = text.strip()
    try:
        expr = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None, {}
    options: dict[str, Any] = {}
    if isinstance(expr, ast.Call):
        positional = []
        for arg in expr.args:
            try:
                positional.append(ast.literal_eval(arg))
            except ValueError:
                positional.append(None)
        if positional:
            options[POSITIONAL] = positional
        for kw in expr.keywords:
            if kw.arg is None:
                continue
            try:
                options[kw.arg] = ast.literal_eval(kw.value)
            except ValueError:
                options[kw.arg] = None
        expr = expr.func
    if isinstance(expr, ast.Name):
        return expr.id, options
    if isinstance(expr, ast.Attribute):
        return expr.attr, options
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return last_part(expr.value), options
    return None, options


def split_spec(value: Any) -> tuple[str | None, dict[str, Any]]:
    """The (name, options) of a loss or optimizer written in any supported form."""
    if isinstance(value, str):
        return parse_call_text(value)
    if isinstance(value, dict):
        options = {k: v for k, v in value.items() if isinstance(k, str)}
        name = None
        for key in _CLASS_KEYS:
            if isinstance(options.get(key), str):
                name = options.pop(key)
                break
        config = options.pop("config", None)
        if isinstance(config, dict):
            name = name or config.get("name")
            options = {**config, **options}
            options.pop("name", None)
        if name is None and len(options) == 1:  # {sgd: {momentum: 0.9}}
            (only, cfg), = options.items()
            if isinstance(cfg, dict):
                name, options = only, dict(cfg)
        if name is not None:
            inner, more = parse_call_text(name)
            name = inner
            options = {**more, **options}
        return name, options
    return None, {}
