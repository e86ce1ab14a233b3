"""``insuretech compose``: files, running services, output file, exit codes and messages."""

from __future__ import annotations

import io
from pathlib import Path

import httpx

from gateway.composition.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SHAREABLE = FIXTURES / "shareable"


def _run(argv: list[str], client: httpx.Client | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, http_client=client, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _files() -> list[str]:
    return [
        "--subgraph",
        f"accounts=http://accounts:8000/graphql={SHAREABLE / 'accounts.graphql'}",
        "--subgraph",
        f"profiles=http://profiles:8000/graphql?x=1={SHAREABLE / 'profiles.graphql'}",
    ]


def test_writes_the_supergraph_to_out(tmp_path: Path) -> None:
    target = tmp_path / "schema" / "supergraph.graphql"
    code, out, err = _run([*_files(), "--out", str(target)])
    assert code == 0
    assert out == ""
    text = target.read_text()
    assert 'ACCOUNTS @join__graph(name: "accounts", url: "http://accounts:8000/graphql")' in text
    assert 'PROFILES @join__graph(name: "profiles", url: "http://profiles:8000/graphql?x=1")' in text
    assert "Composed 2 subgraphs into" in err
    assert "hint: [INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE]" in err
    assert [p.name for p in target.parent.iterdir()] == ["supergraph.graphql"]


def test_prints_to_stdout_without_out() -> None:
    code, out, _ = _run(_files())
    assert code == 0
    assert out.startswith("schema\n  @link(")


def test_from_service_uses_the_url_as_routing_url() -> None:
    sdl = (SHAREABLE / "accounts.graphql").read_text()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"_service": {"sdl": sdl}}})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        code, out, _ = _run(["--from-service", "accounts=http://localhost:8001/graphql"], client)
    assert code == 0
    assert 'ACCOUNTS @join__graph(name: "accounts", url: "http://localhost:8001/graphql")' in out


def test_composition_errors_exit_1_and_keep_the_old_file(tmp_path: Path) -> None:
    bad = tmp_path / "b.graphql"
    bad.write_text(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3")\ntype Query { me: Int }'
    )
    target = tmp_path / "supergraph.graphql"
    target.write_text("previous")
    code, _, err = _run(
        [
            "--subgraph",
            f"accounts=http://a={SHAREABLE / 'accounts.graphql'}",
            "--subgraph",
            f"b=http://b={bad}",
            "--out",
            str(target),
        ]
    )
    assert code == 1
    assert "Composition failed with" in err
    assert "[INVALID_FIELD_SHARING] Non-shareable field 'Query.me'" in err
    assert target.read_text() == "previous"


def test_bad_arguments() -> None:
    assert _run([])[0] == 2
    assert _run(["--nope"])[0] == 2
    code, _, err = _run(["--subgraph", "only-a-name", "--from-service", "noequals"])
    assert code == 1
    assert (
        "[SUBGRAPH_SOURCE_INVALID] --subgraph 'only-a-name' is malformed; expected NAME=ROUTING_URL=PATH."
        in err
    )
    assert "--from-service 'noequals' is malformed; expected NAME=URL." in err
    code, _, err = _run(["--subgraph", "a=http://a=/does/not/exist.graphql"])
    assert code == 1
    assert "Cannot read the SDL of subgraph 'a' from '/does/not/exist.graphql'" in err


def test_unwritable_out(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = _run([*_files(), "--out", str(blocker / "supergraph.graphql")])
    assert code == 1
    assert "cannot write" in err
