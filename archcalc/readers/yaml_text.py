"""Reading a YAML spec's text: PyYAML's safe composer (no tags, no code), its errors as
``path:line:col`` messages with a hint, and composed nodes turned into Python values with
the shared limits (nodes counted against alias bombs, numbers capped).

Used by the YAML front-end (``yaml_spec.py``) and by the Python reader for the YAML
configuration files a program reads.
"""

from __future__ import annotations

from typing import Any

import yaml

from archcalc import limits
from archcalc.errors import Location, SpecError

MAX_NODES = limits.MAX_YAML_NODES

try:  # the C composer is much faster on large specs; both are safe loaders
    Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    Loader = yaml.SafeLoader


#: what a spec holds, for the errors of a file that is not one (names nothing the wheel lacks)
SPEC_HINT = ("a spec needs `input:` and `layers:`, e.g. `input: [28, 28, 1]` and "
             "`layers: [Flatten(), Dense(10)]`; `archcalc samples cnn` prints the path of a complete one")


def yaml_hint(e: yaml.MarkedYAMLError, text: str = "") -> str:
    """A hint that fits the YAML mistake: an unclosed bracket, a tab, a stray colon."""
    problem, context = e.problem or "", e.context or ""
    opened = e.context_mark
    where = f" on line {opened.line + 1}" if opened is not None else ""
    if "flow sequence" in context or "',' or ']'" in problem:
        return (f"the list opened with `[`{where} is not closed: add the missing `]` (or write one "
                "entry per line, `- Dense(10)`)")
    if "flow mapping" in context or "',' or '}'" in problem:
        return f"the mapping opened with `{{`{where} is not closed: add the missing `}}`"
    mark = e.problem_mark
    lines = text.split("\n")
    at_tab = mark is not None and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t"
    if at_tab or '\\t' in problem or '\t' in problem:
        return "YAML indents with spaces, not tabs"
    if "quoted scalar" in context:
        return f"the quote opened{where} is not closed"
    return "quote an entry that contains ': ' or '#', e.g. - \"Dense(10)\"; check the indentation near this line"


def node_loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


class Converter:
    """Turns composed YAML nodes into Python values, counting nodes to stop alias bombs."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0

    def value(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SpecError(
                "the YAML expands to too many values (an alias bomb?)",
                loc=node_loc(self.path, node),
                hint="specs do not need anchors that expand to millions of values",
            )
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, self.path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(n) for n in node.value]
        if isinstance(node, yaml.MappingNode):
            out = {}
            for k, v in node.value:
                key = self.value(k)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise SpecError("mapping keys must be plain values", loc=node_loc(self.path, k))
                out[key] = self.value(v)
            return out
        raise SpecError("unsupported YAML node", loc=node_loc(self.path, node))  # pragma: no cover


_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode, path: str) -> Any:
    """The Python value of a scalar with the safe loader's implicit types; a number past the
    shared limits (``MAX_INT``, ``MAX_FLOAT``) is refused here, wherever in the spec it is
    (``params:``, ``input:``, ``expect:``...)."""
    if node.tag == "tag:yaml.org,2002:str" or node.style in ("'", '"', "|", ">"):
        return node.value
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 40:  # 0x/0b/_ spellings included
        raise _too_large(node, path)
    value = _CONSTRUCTOR.construct_object(node, deep=True)
    if not limits.number_ok(value):
        raise _too_large(node, path)
    return value


def _too_large(node: yaml.ScalarNode, path: str) -> SpecError:
    shown = node.value if len(node.value) <= 24 else node.value[:20] + "..."
    return SpecError(f"the number {shown} is too large (the limit is 2**62 for integers, "
                     f"{limits.MAX_FLOAT:g} for floats)", loc=node_loc(path, node),
                     hint="sizes and counts in a model are far smaller")


def compose(text: str, path: str) -> yaml.Node:
    """The YAML document of a spec (PyYAML's safe composer): one SpecError for any mistake,
    with the place and a hint; an explicit tag is refused."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise SpecError(f"invalid YAML: {e.problem or e.context}", loc=loc, hint=yaml_hint(e, text)) from None
    except yaml.reader.ReaderError as e:  # a control character: no mark, a position
        before = text[:e.position]
        loc = Location(path, before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1)
        raise SpecError(f"invalid YAML: character U+{int(e.character) if isinstance(e.character, int) else ord(e.character):04X} is not allowed in YAML text",
                        loc=loc, hint="remove the control character") from None
    except yaml.YAMLError as e:
        raise SpecError(f"invalid YAML: {e}", loc=Location(path)) from None
    except RecursionError:
        raise SpecError("the YAML is nested too deeply", loc=Location(path)) from None
    if node is None:
        raise SpecError("the spec is empty", loc=Location(path, 1, 1), hint=SPEC_HINT)
    refuse_tags(node, path)
    return node

def refuse_tags(root: yaml.Node, path: str) -> None:
    """SpecError at the first explicit tag (``!foo``, ``!!python/name:...``, ``!!int``):
    a spec's values are plain YAML, and a tag would change what a value means."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: its node was checked where its anchor is
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            plain = node.style is None or node.style == ""
            implicit = _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False)) if plain \
                else "tag:yaml.org,2002:str"
            ok = node.tag in (implicit, "tag:yaml.org,2002:str")
        elif isinstance(node, yaml.SequenceNode):
            ok = node.tag == "tag:yaml.org,2002:seq"
            stack.extend(node.value)
        else:
            ok = node.tag == "tag:yaml.org,2002:map"
            for k, v in node.value:
                stack.extend((k, v))
        if not ok:
            raise SpecError(f"YAML tags are not supported (found '{node.tag}')", loc=node_loc(path, node),
                            hint="remove the tag: a spec holds plain values, lists and mappings")
