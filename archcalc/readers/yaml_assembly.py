"""The YAML spec's layer entries made into graph nodes: ``- c1: Conv2D(32, 3)``, calls on
names (``Concatenate()([a, b])``), repeats (``Dense(8) * 3``), shared layers (``enc(b)``)
and block calls (``res_block(64)``), each parsed by the safe call parser
(``readers/calls.py``) and added through ``builder.GraphBuilder``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import yaml

from archcalc import limits
from archcalc.errors import Location, SpecError, did_you_mean
from archcalc.graph import Graph
from archcalc.layers import registry
from archcalc.layers.base import LayerType
from archcalc.readers.builder import GraphBuilder
from archcalc.readers.calls import (
    CallError,
    Evaluator,
    func_name,
    leading_ws,
    parse_expr,
    ref_names,
    to_spec_error,
)
from archcalc.readers.yaml_text import Converter, node_loc

MAX_REPEAT = limits.MAX_REPEAT
MAX_BLOCK_DEPTH = limits.MAX_BLOCK_DEPTH


@dataclass
class BlockDef:
    name: str
    params: dict[str, Any]  # name -> default (REQUIRED when none)
    inputs: list[str]
    layers: yaml.SequenceNode
    output: str | None
    loc: Location


REQUIRED = object()


@dataclass
class Scope:
    """Names visible while reading a list of layers: the spec's, or one block call's."""

    env: dict[str, Any]  # parameters
    names: dict[str, str] = field(default_factory=dict)  # local name -> graph node name
    prefix: str = ""
    prev: str | None = None
    depth: int = 0
    block: tuple[str, ...] = ()  # the block calls this scope is inside, outermost first


class LayerAssembler:
    """Adds a spec's layer entries to its graph, in the names of a :class:`Scope`; the
    spec's blocks (``blocks``) are filled in by the front-end before the layers are read."""

    def __init__(self, path: str, conv: Converter, graph: Graph, builder: GraphBuilder) -> None:
        self.path = path
        self.conv = conv
        self.graph = graph
        self.builder = builder
        self.blocks: dict[str, BlockDef] = {}
        self.block_uses: dict[str, int] = {}

    def layers(self, seq: yaml.SequenceNode, scope: Scope) -> None:
        for item in seq.value:
            if isinstance(item, yaml.MappingNode):
                if len(item.value) != 1:
                    raise SpecError(
                        "a named entry has exactly one `name: Layer(...)` pair",
                        loc=node_loc(self.path, item),
                        hint="write one layer per list entry: - c1: Conv2D(32, 3)",
                    )
                kn, vn = item.value[0]
                name = self.conv.value(kn)
                if not isinstance(name, str) or not name.isidentifier():
                    raise SpecError(f"layer name {name!r} is not an identifier", loc=node_loc(self.path, kn),
                                    hint="names are used like Python variables: c1, conv_block")
                text_node = vn
            elif isinstance(item, yaml.ScalarNode):
                name = None
                text_node = item
            else:
                raise SpecError("a layer entry is a call such as Dense(10) or `name: Dense(10)`",
                                loc=node_loc(self.path, item))
            if not isinstance(text_node, yaml.ScalarNode) or text_node.tag != "tag:yaml.org,2002:str":
                raise SpecError(
                    f"expected a layer call such as Dense(10), got {self.conv.value(text_node)!r}",
                    loc=node_loc(self.path, text_node),
                )
            self._entry(str(text_node.value), name, text_node, scope)

    def _entry(self, text: str, name: str | None, node: yaml.ScalarNode, scope: Scope) -> None:
        loc = node_loc(self.path, node)
        offset = (1 if node.style in ("'", '"') else 0) + leading_ws(text)
        try:
            expr = parse_expr(text)
            self._expr(expr, name, loc, offset, scope, text.strip())
        except CallError as e:
            raise to_spec_error(e, loc, offset) from None

    def _expr(self, expr: ast.expr, name: str | None, loc: Location, offset: int, scope: Scope, text: str) -> None:
        repeat, expr = self._repeat(expr, scope)
        if not isinstance(expr, ast.Call):
            raise CallError("expected a layer call such as Dense(10)", getattr(expr, "col_offset", 0))
        refs: list[str] | None = None
        indices: list[int | None] = []
        list_input = False
        call = expr
        if isinstance(call.func, ast.Call):  # Layer(...)(inputs)
            if len(call.args) != 1 or call.keywords:
                raise CallError("call a layer on one name or one list of names", call.col_offset)
            refs, indices, list_input = ref_names(call.args[0])
            call = call.func
        fname = func_name(call)
        if fname is None:
            raise CallError("expected a layer name before '('", call.col_offset)
        for i in range(repeat):
            entry_name = name if repeat == 1 or name is None else f"{name}_{i + 1}"
            inputs = self._resolve_refs(refs, scope, call) if (refs is not None and i == 0) else None
            if fname in self.blocks and not registry.get(fname):
                if any(ix is not None for ix in indices):
                    raise CallError("a block reads whole layer outputs; name[i] works on layers only",
                                    call.col_offset)
                out = self._call_block(self.blocks[fname], call, entry_name, inputs, loc, offset, scope)
            elif fname in scope.names and registry.get(fname) is None:
                out = self._shared_call(fname, call, entry_name, loc, scope, refs)
            else:
                out = self._layer(call, entry_name, inputs, scope, (i, repeat),
                                  Location(loc.path, loc.line, loc.column + offset + call.col_offset),
                                  list_input, indices if i == 0 else None, text)
            if entry_name:
                scope.names[entry_name] = out
            if name and repeat > 1 and i == repeat - 1:
                scope.names[name] = out
            scope.prev = out

    def _repeat(self, expr: ast.expr, scope: Scope) -> tuple[int, ast.expr]:
        """``Dense(8) * 3`` (or ``* n`` with ``n`` a parameter): the count and the call."""
        if not (isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult)):
            return 1, expr
        n = expr.right
        if not (isinstance(n, ast.Constant) and isinstance(n.value, int) and not isinstance(n.value, bool)):
            if isinstance(n, ast.Name) and n.id in scope.env and isinstance(scope.env[n.id], int):
                count = scope.env[n.id]
            else:
                raise CallError("repeat a layer with `* N` where N is an integer", n.col_offset)
        else:
            count = n.value
        if not 1 <= count <= MAX_REPEAT:
            raise CallError(f"repeat count must be between 1 and {MAX_REPEAT}, got {count}", n.col_offset)
        return count, expr.left

    def _layer(self, call: ast.Call, entry_name: str | None, inputs: list[str] | None, scope: Scope,
               nth: tuple[int, int], loc: Location, list_input: bool, indices: list[int | None] | None,
               text: str) -> str:
        """One layer call added to the graph (the ``nth[0]``-th of ``nth[1]`` repeats): its node's name."""
        i, repeat = nth
        layer = self._make_layer(call, scope)
        if inputs is None:
            inputs = self._default_input(scope, call)
        given = layer.given.get("name")
        if entry_name is None and isinstance(given, str) and given:
            # Dense(2, name='foo') is named foo, as in Keras
            node_name = self._global_name(given if repeat == 1 else f"{given}_{i + 1}", scope)
        else:
            node_name = self._global_name(entry_name, scope)
        node = self.builder.add_layer(
            layer, inputs, name=node_name, loc=loc, list_input=list_input, input_index=indices,
            meta={"source": text, "block": scope.block} if scope.block else {"source": text},
        )
        return node.name

    def _global_name(self, local: str | None, scope: Scope) -> str | None:
        if local is None:
            return None
        return f"{scope.prefix}{local}"

    def _default_input(self, scope: Scope, call: ast.Call) -> list[str]:
        if scope.prev is None:
            raise CallError(
                "this layer does not say which input it reads",
                call.col_offset,
                hint="with several inputs, call the first layer on one: Dense(8)(title)",
            )
        return [scope.prev]

    def _resolve_refs(self, refs: list[str], scope: Scope, call: ast.Call) -> list[str]:
        out = []
        for r in refs:
            if r not in scope.names:
                known = [n for n in scope.names]
                raise CallError(
                    f"'{r}' is used before it is defined",
                    call.col_offset,
                    hint=did_you_mean(r, known) or "a layer can only read names defined above it",
                )
            out.append(scope.names[r])
        return out

    def _make_layer(self, call: ast.Call, scope: Scope) -> LayerType:
        fname = func_name(call)
        if fname is None:
            raise CallError("expected a Keras layer call such as LSTM(64)", call.col_offset)
        # saved=True: also the classes Keras ships outside keras.layers (ConvNeXt's LayerScale)
        cls = registry.get(fname, saved=True)
        if cls is None:
            err = registry.unknown_layer(fname, saved=True, also=self.blocks)
            raise CallError(err.message, call.col_offset, hint=err.hint)
        ev = Evaluator(scope.env, make_layer=lambda c: self._make_layer(c, scope))
        args, kwargs = ev.call_args(call)
        try:
            return cls.bind(args, kwargs)
        except SpecError as e:
            raise CallError(e.message, call.col_offset, e.hint) from None

    def _shared_call(self, fname: str, call: ast.Call, entry_name: str | None, loc: Location,
                     scope: Scope, refs: list[str] | None) -> str:
        """`enc(b)`: call an existing layer again on new inputs (shared weights)."""
        target = self.graph.nodes[scope.names[fname]]
        if target.layer is None:
            raise CallError(f"'{fname}' is an input, not a layer", call.col_offset)
        if refs is not None or call.keywords or len(call.args) != 1:
            raise CallError(f"call the shared layer on its inputs: {fname}(x) or {fname}([a, b])", call.col_offset)
        names, indices, was_list = ref_names(call.args[0])
        inputs = self._resolve_refs(names, scope, call)
        node = self.builder.add_layer(
            target.layer, inputs, name=self._global_name(entry_name, scope),
            loc=Location(loc.path, loc.line, loc.column + call.col_offset),
            list_input=was_list, input_index=indices, shared_with=target.shared_with or target.name,
            meta={"block": scope.block} if scope.block else None,
        )
        return node.name

    def _call_block(self, block: BlockDef, call: ast.Call, entry_name: str | None, inputs: list[str] | None,
                    loc: Location, offset: int, scope: Scope) -> str:
        if scope.depth >= MAX_BLOCK_DEPTH:
            raise CallError(f"blocks are nested more than {MAX_BLOCK_DEPTH} deep (does '{block.name}' call itself?)",
                            call.col_offset)
        ev = Evaluator(scope.env)
        args, kwargs = ev.call_args(call)
        names = list(block.params)
        if len(args) > len(names):
            raise CallError(f"block '{block.name}' takes {len(names)} argument(s), got {len(args)}", call.col_offset,
                            hint=f"{block.name}({', '.join(names)})")
        env = dict(scope.env)
        bound = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in block.params:
                raise CallError(f"block '{block.name}' has no parameter '{k}'", call.col_offset,
                                hint=did_you_mean(k, names) or f"{block.name}({', '.join(names)})")
            if k in bound:
                raise CallError(f"block '{block.name}' got two values for '{k}'", call.col_offset)
            bound[k] = v
        for p, default in block.params.items():
            if p not in bound:
                if default is REQUIRED:
                    raise CallError(f"block '{block.name}' needs a value for '{p}'", call.col_offset,
                                    hint=f"{block.name}({', '.join(names)})")
                bound[p] = default
        env.update(bound)
        if inputs is None:
            inputs = self._default_input(scope, call)
        if len(inputs) != len(block.inputs):
            raise CallError(f"block '{block.name}' takes {len(block.inputs)} input(s), got {len(inputs)}",
                            call.col_offset)
        use = self.block_uses.get(block.name, 0) + 1
        self.block_uses[block.name] = use
        instance = entry_name or f"{block.name}_{use}"
        inner = Scope(env=env, prefix=f"{scope.prefix}{instance}_", depth=scope.depth + 1,
                      block=(*scope.block, f"{scope.prefix}{instance}"))
        for local, tensor in zip(block.inputs, inputs):
            inner.names[local] = tensor
        inner.prev = inputs[0]
        self.layers(block.layers, inner)
        if block.output:
            if block.output not in inner.names:
                raise SpecError(f"block '{block.name}' output '{block.output}' is not one of its layers",
                                loc=block.loc)
            return inner.names[block.output]
        assert inner.prev is not None
        return inner.prev
