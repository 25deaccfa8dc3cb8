"""Helpers every front-end shares: graph assembly with Keras-style automatic names, reading text."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from archcalc.errors import Location, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers.base import LayerType

# the naming rules live in archcalc/names.py; re-exported for the Python reader and emit
from archcalc.names import free_name as free_name
from archcalc.names import keras_auto_name
from archcalc.names import to_snake_case as to_snake_case


class GraphBuilder:
    """Adds inputs and layer calls to a Graph, naming unnamed layers as Keras does."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._counters: dict[str, int] = {}

    def auto_name(self, base: str) -> str:
        while True:
            name = keras_auto_name(base, self._counters)
            if name not in self.graph.nodes:
                return name

    def add_input(self, name: str, shape: tuple, loc: Location | None) -> Node:
        return self.graph.add(Node(name=name, layer=None, shape=(None, *shape), loc=loc))

    def add_layer(
        self,
        layer: LayerType,
        inputs: list[str],
        *,
        name: str | None = None,
        loc: Location | None = None,
        list_input: bool = False,
        input_index: list[int | None] | None = None,
        shared_with: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Node:
        for src in inputs:
            if src not in self.graph.nodes:
                from archcalc.errors import did_you_mean

                raise SpecError(
                    f"'{src}' is used before it is defined",
                    loc=loc,
                    hint=did_you_mean(src, self.graph.nodes) or "layers can only read names defined above them",
                )
        node_name = name or self.auto_name(layer.keras_name)
        node = Node(
            name=node_name,
            layer=layer,
            inputs=list(inputs),
            loc=loc,
            list_input=list_input,
            input_index=list(input_index) if input_index and any(i is not None for i in input_index) else [],
            shared_with=shared_with,
            meta=meta or {},
        )
        return self.graph.add(node)


#: how standard input is named in messages
STDIN = "<stdin>"


def decode_text(data: bytes, where: Location) -> str:
    """UTF-8 bytes as text; a leading byte-order mark is dropped, so that line 1's columns
    are the ones an editor shows (Notepad and some Windows tools write one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SpecError(f"the file is not UTF-8 text (byte {e.start})", loc=where) from None


def read_text(path: str | Path, max_bytes: int, kind: str = "model file") -> str:
    """A front-end's input file as UTF-8 text, with a size cap; SpecError otherwise."""
    from archcalc.limits import read_file_bytes

    return decode_text(read_file_bytes(path, max_bytes, kind), Location(str(path)))


def read_stdin(max_bytes: int, stream: BinaryIO | None = None) -> bytes:
    """Standard input's bytes, reading at most ``max_bytes + 1`` of them; SpecError beyond the cap."""
    import sys

    where = Location(STDIN)
    if stream is None:
        stdin = sys.stdin
        if stdin is None:
            raise SpecError("there is no standard input to read", loc=where)
        buffer = getattr(stdin, "buffer", None)
        if buffer is None:  # a text stream (e.g. io.StringIO in a test harness)
            text = stdin.read(max_bytes + 1)
            data = text.encode("utf-8", "surrogateescape")
        else:
            stream = buffer
    if stream is not None:
        try:
            data = stream.read(max_bytes + 1)
        except OSError as e:
            raise SpecError(f"cannot read standard input: {e.strerror or e}", loc=where) from None
    if len(data) > max_bytes:
        raise SpecError(f"standard input is too large (more than {max_bytes} bytes)", loc=where,
                        hint="pass the file's path instead of `-`")
    return data
