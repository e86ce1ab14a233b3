"""Fixtures for composition tests: fixture subgraph sets, a semantic supergraph view, the reference composer.

The reference is The Guild's ``@theguild/federation-composition`` (MIT), run by
Node. It is installed on first use into ``~/.cache/insuretech/federation-composition``
(outside the repo); without Node/npm the equivalence tests skip, except under
``CI=true`` where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    ConstDirectiveNode,
    EnumTypeDefinitionNode,
    EnumValueNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    UnionTypeDefinitionNode,
    parse,
    print_ast,
)

from gateway.composition import CompositionResult, SubgraphSource, Success, compose

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE_PACKAGE = "@theguild/federation-composition@0.27.0"
REFERENCE_CACHE = (
    Path(os.environ.get("INSURETECH_CACHE", Path.home() / ".cache" / "insuretech")) / "federation-composition"
)

_NODE_SCRIPT = """
const path = require('path');
const base = process.argv[2];
const { composeServices } = require(path.join(base, 'node_modules', '@theguild', 'federation-composition'));
const { parse } = require(path.join(base, 'node_modules', 'graphql'));
let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const results = JSON.parse(input).map((job) => {
    const services = job.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) }));
    const result = composeServices(services);
    return result.errors
      ? { errors: result.errors.map((e) => ({ code: (e.extensions || {}).code || null, message: e.message })) }
      : { supergraphSdl: result.supergraphSdl };
  });
  process.stdout.write(JSON.stringify(results));
});
"""

_NEWER_FEDERATION = re.compile(r"federation/v2\.(1\d|[2-9]\d)")
_JOIN_LINK = re.compile(r"specs\.apollo\.dev/join/v0\.\d+")
_KEPT_DIRECTIVES = frozenset(
    {
        "join__type",
        "join__field",
        "join__implements",
        "join__unionMember",
        "join__enumValue",
        "tag",
        "inaccessible",
        "deprecated",
        "specifiedBy",
    }
)
_DEFAULT_ARGUMENTS = {
    ("join__type", "extension", "false"),
    ("join__type", "resolvable", "true"),
    ("join__type", "isInterfaceObject", "false"),
    ("join__field", "external", "false"),
    ("join__field", "usedOverridden", "false"),
}

Semantics = dict[str, Any]
FixtureLoader = Callable[[str], list[SubgraphSource]]
SemanticView = Callable[[str], Semantics]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def load_fixture_set() -> FixtureLoader:
    """Load ``fixtures/<name>/*.graphql`` as subgraph sources named after the files."""

    def load(name: str) -> list[SubgraphSource]:
        files = sorted((FIXTURES / name).glob("*.graphql"))
        assert files, f"no fixture subgraphs in {name!r}"
        return [SubgraphSource(f.stem, f"http://{f.stem}.svc/graphql", f.read_text()) for f in files]

    return load


def _ensure_reference() -> tuple[str, Path] | str:
    """Return (node, package dir), or the reason the reference composer cannot run."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "Node.js and npm are needed to run @theguild/federation-composition."
    marker = REFERENCE_CACHE / "node_modules" / "@theguild" / "federation-composition" / "package.json"
    if not marker.exists():
        REFERENCE_CACHE.mkdir(parents=True, exist_ok=True)
        completed = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(REFERENCE_CACHE),
                REFERENCE_PACKAGE,
                "graphql@16",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if completed.returncode != 0 or not marker.exists():
            return f"npm could not install {REFERENCE_PACKAGE}: {completed.stderr[-2000:]}"
    return node, REFERENCE_CACHE


class ReferenceComposer:
    """Runs ``composeServices`` of The Guild's composer in Node, many compositions per process."""

    def __init__(self, node: str, package_dir: Path, script: Path) -> None:
        self.node, self.package_dir, self.script = node, package_dir, script

    def __call__(self, sources: list[SubgraphSource]) -> dict[str, Any]:
        """Compose one subgraph set: ``{"supergraphSdl": ...}`` or ``{"errors": [{"code", "message"}]}``."""
        return self.batch([sources])[0]

    def batch(self, jobs: list[list[SubgraphSource]]) -> list[dict[str, Any]]:
        """Compose several subgraph sets in one Node process (Node start-up dominates the cost)."""
        payload = json.dumps(
            [[{"name": s.name, "url": s.url, "sdl": reference_sdl(s.sdl)} for s in j] for j in jobs]
        )
        completed = subprocess.run(
            [self.node, str(self.script), str(self.package_dir)],
            input=payload,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        results: list[dict[str, Any]] = json.loads(completed.stdout)
        return results


@pytest.fixture(scope="session")
def reference_composer(tmp_path_factory: pytest.TempPathFactory) -> ReferenceComposer:
    """The reference composer; skips without Node/npm outside CI and fails under ``CI=true``."""
    found = _ensure_reference()
    if isinstance(found, str):
        if _in_ci():
            pytest.fail(found + " Under CI the equivalence test must run.")
        pytest.skip(found)
    node, package_dir = found
    script = tmp_path_factory.mktemp("reference") / "compose.cjs"
    script.write_text(_NODE_SCRIPT)
    return ReferenceComposer(node, package_dir, script)


def reference_sdl(sdl: str) -> str:
    """Rewrite federation links newer than v2.9 (Strawberry prints v2.11) to v2.9 for The Guild 0.27.

    Its newest known version is v2.9; v2.10/v2.11 add nothing our fixtures use (they concern
    ``@cacheTag`` and connectors), so the rewrite does not change what is composed.
    """
    return _NEWER_FEDERATION.sub("federation/v2.9", sdl)


def _canonical_field_set(printed: str) -> str:
    """``'"vendor { name }"'`` and ``'"vendor{name}"'`` both become ``vendor{name}``."""
    selection = print_ast(parse("{" + json.loads(printed) + "}").definitions[0])
    return re.sub(r"\s*([{}])\s*", r"\1", " ".join(selection.split()))[1:-1]


def _arguments(directive: ConstDirectiveNode, graphs: dict[str, str]) -> tuple[tuple[str, str], ...]:
    name = directive.name.value
    pairs: list[tuple[str, str]] = []
    for argument in directive.arguments or ():
        value = print_ast(argument.value)
        if (name, argument.name.value, value) in _DEFAULT_ARGUMENTS:
            continue
        if argument.name.value == "graph" and isinstance(argument.value, EnumValueNode):
            value = graphs.get(argument.value.value, value)
        if argument.name.value in {"key", "requires", "provides"}:
            value = _canonical_field_set(value)
        pairs.append((argument.name.value, value))
    return tuple(sorted(pairs))


def _directives(nodes: Any, graphs: dict[str, str]) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return sorted(
        (d.name.value, _arguments(d, graphs)) for d in nodes or () if d.name.value in _KEPT_DIRECTIVES
    )


def semantics_of(sdl: str) -> Semantics:
    """A comparable view of a supergraph SDL: types, fields, arguments, values and directive applications.

    Normalisations (each deliberate, so two correct supergraphs compare equal):
    order, descriptions and formatting are ignored; ``graph:`` enum values are replaced by the subgraph
    names from ``@join__graph``; arguments equal to the directive default are dropped; field sets are
    re-printed canonically; and a field (or input field) without ``@join__field`` is expanded to one bare
    ``@join__field(graph:)`` per ``@join__type`` graph of its parent — which is exactly what an absent
    ``@join__field`` means (The Guild prints the expanded form for some root fields, Apollo does not).
    One known difference is normalised away: on fields of the *root* types, the ``type:`` argument of
    ``@join__field`` is dropped. We follow Apollo and print ``type:`` when the subgraphs disagree on a
    root field's nullability; The Guild 0.27 omits it for root fields only. And the join spec version
    in ``@link`` is read as v0.3: we always emit join v0.3, The Guild emits v0.5 for federation ≥ v2.8
    input; the applications compared here mean the same in both (we emit no ``contextArguments`` or
    ``overrideLabel``, the only v0.4/v0.5 additions).
    """
    document = parse(sdl)
    graphs: dict[str, str] = {}
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == "join__Graph":
            for value in definition.values or ():
                for directive in value.directives or ():
                    graph_arguments = {
                        a.name.value: print_ast(a.value).strip('"') for a in directive.arguments or ()
                    }
                    graphs[value.name.value] = graph_arguments["name"]
    view: Semantics = {"graphs": sorted(graphs.values()), "types": {}, "links": [], "roots": {}}
    root_names = {"Query", "Mutation", "Subscription"}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            view["roots"] = {o.operation.value: o.type.name.value for o in definition.operation_types or ()}
            view["links"] = sorted(
                _JOIN_LINK.sub("specs.apollo.dev/join/v0.3", print_ast(d))
                for d in definition.directives or ()
            )
            continue
        if not isinstance(
            definition,
            ObjectTypeDefinitionNode
            | InterfaceTypeDefinitionNode
            | UnionTypeDefinitionNode
            | EnumTypeDefinitionNode
            | InputObjectTypeDefinitionNode
            | ScalarTypeDefinitionNode,
        ):
            continue
        name = definition.name.value
        if name.startswith(("join__", "link__")):
            continue
        type_directives = _directives(definition.directives, graphs)
        type_graphs = sorted({dict(args)["graph"] for n, args in type_directives if n == "join__type"})
        entry: dict[str, Any] = {"kind": type(definition).__name__, "directives": type_directives}
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            entry["interfaces"] = sorted(i.name.value for i in definition.interfaces or ())
        if isinstance(definition, UnionTypeDefinitionNode):
            entry["members"] = sorted(m.name.value for m in definition.types or ())
        if isinstance(definition, EnumTypeDefinitionNode):
            entry["values"] = {
                v.name.value: _directives(v.directives, graphs) for v in definition.values or ()
            }
        fields: dict[str, Any] = {}
        for field in getattr(definition, "fields", None) or ():
            field_directives = _directives(field.directives, graphs)
            if name in root_names:
                field_directives = [
                    (n, tuple(p for p in args if not (n == "join__field" and p[0] == "type")))
                    for n, args in field_directives
                ]
            if not any(n == "join__field" for n, _ in field_directives):
                field_directives = sorted(
                    [*field_directives, *(("join__field", (("graph", g),)) for g in type_graphs)]
                )
            arguments: dict[str, Any] = {
                a.name.value: (
                    print_ast(a.type),
                    print_ast(a.default_value) if a.default_value else None,
                    _directives(a.directives, graphs),
                )
                for a in getattr(field, "arguments", None) or ()
            }
            default = getattr(field, "default_value", None)
            fields[field.name.value] = {
                "type": print_ast(field.type),
                "default": print_ast(default) if default is not None else None,
                "arguments": arguments,
                "directives": field_directives,
            }
        entry["fields"] = fields
        view["types"][name] = entry
    return view


@pytest.fixture
def supergraph_semantics() -> SemanticView:
    """The :func:`semantics_of` view, as a fixture."""
    return semantics_of


FEDERATION_HEADER = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", '
    '"@external", "@requires", "@provides", "@override", "@inaccessible", "@tag", "@interfaceObject"])\n'
)
"""Prepended to inline test SDL that has no ``@link`` of its own."""

ComposeSdls = Callable[[dict[str, str]], CompositionResult]
SupergraphOf = Callable[[dict[str, str]], str]


def sources_of(subgraphs: dict[str, str]) -> list[SubgraphSource]:
    """Turn ``{name: sdl}`` into sources, adding :data:`FEDERATION_HEADER` where SDL has no ``@link``."""
    return [
        SubgraphSource(name, f"http://{name}.svc/graphql", sdl if "@link" in sdl else FEDERATION_HEADER + sdl)
        for name, sdl in subgraphs.items()
    ]


@pytest.fixture
def compose_sdls() -> ComposeSdls:
    """Compose inline SDL: ``compose_sdls({"a": "type Query { a: Int }"})``."""
    return lambda subgraphs: compose(sources_of(subgraphs))


@pytest.fixture
def supergraph_of(compose_sdls: ComposeSdls) -> SupergraphOf:
    """Compose inline SDL and return the supergraph SDL, failing the test on composition errors."""

    def run(subgraphs: dict[str, str]) -> str:
        result = compose_sdls(subgraphs)
        assert isinstance(result, Success), "\n".join(str(e) for e in getattr(result, "errors", ()))
        return result.supergraph_sdl

    return run


def type_block(supergraph_sdl: str, name: str) -> str:
    """The printed definition of type ``name`` (description included), for golden comparisons."""
    pattern = re.compile(rf"^(type|interface|union|enum|input|scalar) {re.escape(name)}( |$)", re.MULTILINE)
    for block in supergraph_sdl.split("\n\n"):
        if pattern.search(block):
            return block.strip() + "\n"
    raise AssertionError(f"type {name!r} is not in the supergraph")


@pytest.fixture
def block_of() -> Callable[[str, str], str]:
    """The :func:`type_block` helper, as a fixture."""
    return type_block


@pytest.fixture(scope="session")
def sources_factory() -> Callable[[dict[str, str]], list[SubgraphSource]]:
    """The :func:`sources_of` helper, as a fixture."""
    return sources_of
