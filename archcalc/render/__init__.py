"""Renderers: each turns an Analysis into text. REGISTRY maps a --format name to
"module:function"; modules are imported only when used (rich is not needed for json)."""

from __future__ import annotations

from archcalc.lazy import LazyTable

REGISTRY = LazyTable({
    "table": "archcalc.render.table:render",
    "text": "archcalc.render.table:render",  # the word lint and explain use
    "json": "archcalc.render.json_:render",
    "markdown": "archcalc.render.markdown:render",
})

#: the renderer for a --format name
get = REGISTRY.load
