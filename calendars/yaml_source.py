"""YAML read the way people write reference data: repeated keys refused, no YAML 1.1 surprises."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from calendars.errors import ReferenceDataError

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        # PyYAML silently keeps the last of two equal keys; a lost row is worse than an error.
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue
            if key in seen:
                problem = f'key "{key}" repeats (first on line {seen[key]})'
                raise ConstructorError(None, None, problem, key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


# YAML 1.1 reads 10:00 as the integer 600, 0123 as octal and "no" as false; the 1.2 core
# schema keeps them as the text people meant.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


@dataclass(frozen=True)
class YamlDocument:
    """The data of one file and its node tree, which remembers where each value was written."""

    name: str
    data: object
    root: yaml.Node | None

    def line_of(self, loc: Sequence[int | str]) -> int | None:
        """The line of the deepest value along `loc` that the file has (1-based)."""
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for step in loc:
            found = _child(node, step)
            if found is None:
                break
            line, node = found
        return line


def _child(node: yaml.Node, step: int | str) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                return key_node.start_mark.line + 1, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        item = node.value[step]
        return item.start_mark.line + 1, item
    return None


def read_yaml_file(path: Path) -> YamlDocument:
    name = path.name
    if not path.exists():
        raise ReferenceDataError([f"{name}: file not found ({path})"])
    if path.is_dir():
        raise ReferenceDataError([f"{name}: is a folder, expected a YAML file"])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReferenceDataError([f"{name}: cannot read the file: {exc.strerror}"]) from None
    try:
        text = raw.decode("utf-8-sig")  # Windows editors like to add a byte-order mark
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = f"{name}, line {line}: not UTF-8 text; save the file as UTF-8"
        raise ReferenceDataError([problem]) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> YamlDocument:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        raise ReferenceDataError([_syntax_problem(name, exc)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problem = f"{name}, line {line}: character {exc.character!r} is not allowed in YAML"
        raise ReferenceDataError([problem]) from None
    finally:
        loader.dispose()
    if root is None:
        raise ReferenceDataError([f"{name}: the file is empty"])
    return YamlDocument(name=name, data=data, root=root)


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{name}, line {mark.line + 1}" if mark else name
    if isinstance(exc, ConstructorError):
        return f"{where}: {exc.problem or exc.context}"
    column = f" (column {mark.column + 1})" if mark else ""
    problem = exc.problem or exc.context or "cannot parse"
    hint = next((h for words, h in _HINTS if words in problem), "")
    return f"{where}: YAML syntax: {problem}{column}{hint}"


# PyYAML's words for the two mistakes people make most when editing by hand.
_HINTS = (
    ("block", "; check the indentation"),
    ("mapping values are not allowed", '; put text that contains ": " in quotes'),
)
