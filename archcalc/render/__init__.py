"""Renderers: each turns an Analysis into text. REGISTRY maps a --format name to
"module:function"; modules are imported only when used (rich is not needed for json)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

REGISTRY: dict[str, str] = {
    "table": "archcalc.render.table:render",
    "text": "archcalc.render.table:render",  # the word lint and explain use
    "json": "archcalc.render.json_:render",
    "markdown": "archcalc.render.markdown:render",
    "latex": "archcalc.render.latex:render",
}


def get(name: str) -> Callable[..., Any]:
    module, func = REGISTRY[name].split(":")
    return getattr(importlib.import_module(module), func)
