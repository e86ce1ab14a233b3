"""A small in-memory ``applications`` subgraph and a partner-API gateway built around it.

The subgraph executes the committed ``schema/subgraphs/applications.graphql`` with graphql-core
over a dict of applications (no gRPC, no database), answering with the same error codes as the
real one (``NOT_FOUND``, ``BAD_USER_INPUT``, ``FAILED_PRECONDITION``). The supergraph is
composed from the three committed subgraph SDL files. Tests get an in-process gateway
(``partner_app``); the end-to-end test and the benchmark run the subgraph as a process::

    python tests/gateway/partner_world.py subgraph --port 8102
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from inspect import isawaitable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from graphql import DocumentNode, GraphQLError, GraphQLSchema, build_schema, execute, parse, validate
from starlette.applications import Starlette

if TYPE_CHECKING:
    from gateway.pipeline import Gateway

ROOT = Path(__file__).resolve().parents[2]
SUBGRAPHS = ROOT / "schema" / "subgraphs"
DEPLOY = ROOT / "deploy"

ACME_KEY = "demo-acme-bank-key-2026"
TRAVEL_KEY = "demo-travelshop-key-2026"
WEBAPP_KEY = "demo-webapp-key-2026"

APP_1 = "11111111-1111-4111-8111-111111111111"
APP_2 = "22222222-2222-4222-8222-222222222222"
CLIENT = "33333333-3333-4333-8333-333333333333"
PRODUCT = "44444444-4444-4444-8444-444444444444"
FINAL = frozenset({"CANCELLED", "REJECTED", "COMPLETED"})


def _executable_schema() -> GraphQLSchema:
    sdl = (SUBGRAPHS / "applications.graphql").read_text(encoding="utf-8")
    sdl = re.sub(r"^schema @link\(.*?\) \{.*?\}\n", "", sdl, flags=re.S | re.M)
    sdl = re.sub(r'@\w+(\((?:[^()"]|"[^"]*")*\))?', "", sdl)
    return build_schema(sdl)


SCHEMA = _executable_schema()


def _money(kopecks: int) -> dict[str, Any]:
    return {
        "kopecks": kopecks,
        "amount": f"{kopecks / 100:.2f}",
        "currency": "RUB",
        "formatted": f"{kopecks // 100} ₽",
    }


def _application(app_id: str, number: str, status: str, applied: str, comment: str) -> dict[str, Any]:
    return {
        "__typename": "Application",
        "id": app_id,
        "number": number,
        "client": {"id": CLIENT},
        "product": {"id": PRODUCT},
        "status": status,
        "statusHistory": [{"status": status, "at": applied + "T10:00:00+00:00", "reason": None}],
        "appliedAt": applied + "T10:00:00+00:00",
        "updatedAt": applied + "T10:00:00+00:00",
        "insuredObject": {"kind": "PERSON", "description": comment},
        "sumInsured": _money(150_000_000),
        "termMonths": 12,
        "vehicle": None,
        "comment": comment,
        "cancellationReason": None,
    }


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _check_uuid(value: str, argument: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        raise _error(f"Argument {argument!r} must be a UUID, got {value!r}.", "BAD_USER_INPUT") from None


@functools.lru_cache(maxsize=256)
def _parsed(query: str) -> DocumentNode | list[GraphQLError]:
    # parsed and validated once per document, as a production subgraph's parser cache would
    try:
        document = parse(query)
    except GraphQLError as error:
        return [error]
    errors = validate(SCHEMA, document)
    return errors or document


@dataclass
class ApplicationsSubgraph:
    """The in-memory subgraph: ``execute`` answers one GraphQL request like the real service."""

    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    headers: list[dict[str, str]] = field(default_factory=list)
    """Headers of each request the gateway sent (in-process transport only)."""

    def __post_init__(self) -> None:
        if not self.applications:
            self.applications = {
                APP_1: _application(
                    APP_1, "APP-2025-000001", "PROCESSING", "2025-03-01", "Страхование жизни"
                ),
                APP_2: _application(APP_2, "APP-2025-000002", "COMPLETED", "2025-03-02", "ОСАГО ложка"),
            }

    def _get(self, app_id: str) -> dict[str, Any]:
        _check_uuid(app_id, "id")
        found = self.applications.get(app_id)
        if found is None:
            raise _error(f"Application {app_id!r} does not exist.", "NOT_FOUND")
        return found

    def _create(self, data: dict[str, Any], key: str) -> tuple[dict[str, Any], bool]:
        if not 8 <= len(key) <= 128:
            raise _error("The idempotency key must have 8..128 characters.", "BAD_USER_INPUT")
        _check_uuid(data["clientId"], "input.clientId")
        if key in self.by_key:
            return self.applications[self.by_key[key]], False
        app_id = str(uuid.uuid4())
        number = f"APP-2026-{len(self.applications) + 1:06d}"
        created = _application(
            app_id,
            number,
            "SUBMITTED" if data.get("submit") else "DRAFT",
            "2026-01-10",
            data.get("comment", ""),
        )
        created["sumInsured"] = _money(int(data["sumInsuredKopecks"]))
        created["termMonths"] = data["termMonths"]
        self.applications[app_id] = created
        self.by_key[key] = app_id
        return created, True

    def root(self) -> dict[str, Any]:
        def applications(
            info: Any, filter: dict[str, Any] | None = None, first: int = 20, after: str | None = None
        ) -> Any:
            found = list(self.applications.values())
            rules = filter or {}
            if rules.get("appliedFrom"):
                found = [a for a in found if a["appliedAt"][:10] >= rules["appliedFrom"]]
            if rules.get("appliedTo"):
                found = [a for a in found if a["appliedAt"][:10] <= rules["appliedTo"]]
            if rules.get("status"):
                found = [a for a in found if a["status"] in rules["status"]]
            return {
                "nodes": found[:first],
                "pageInfo": {"hasNextPage": len(found) > first, "endCursor": None},
            }

        def search(info: Any, q: str, limit: int = 20) -> Any:
            needle = q.lower()
            return [
                a for a in self.applications.values() if needle in (a["number"] + " " + a["comment"]).lower()
            ][:limit]

        def entities(info: Any, representations: list[dict[str, Any]]) -> Any:
            return [self.applications.get(r.get("id", "")) for r in representations]

        return {
            "application": lambda info, id: self._get(id),
            "applications": applications,
            "searchApplications": search,
            "_entities": entities,
        }

    def mutation_root(self) -> dict[str, Any]:
        def create(info: Any, input: dict[str, Any], idempotencyKey: str) -> Any:
            application, created = self._create(input, idempotencyKey)
            return {"application": application, "created": created}

        def create_many(info: Any, inputs: list[dict[str, Any]]) -> Any:
            if len(inputs) > 100:
                raise _error(f"A batch holds at most 100 items, got {len(inputs)}.", "BAD_USER_INPUT")
            results = []
            for index, item in enumerate(inputs):
                try:
                    application, created = self._create(item["application"], item["idempotencyKey"])
                    results.append(
                        {"index": index, "application": application, "created": created, "error": None}
                    )
                except GraphQLError as exc:
                    code = (exc.extensions or {}).get("code", "BAD_USER_INPUT")
                    error = {"code": code, "message": exc.message, "fieldErrors": []}
                    results.append({"index": index, "application": None, "created": False, "error": error})
            return results

        def cancel(info: Any, id: str, reason: str) -> Any:
            application = self._get(id)
            if application["status"] in FINAL:
                raise _error(
                    f"Application {id!r} is {application['status']} and cannot be cancelled.",
                    "FAILED_PRECONDITION",
                )
            application["status"] = "CANCELLED"
            application["cancellationReason"] = reason
            return application

        return {"createApplication": create, "createApplications": create_many, "cancelApplication": cancel}

    async def execute(self, query: str, variables: dict[str, Any] | None) -> dict[str, Any]:
        """Answer one subgraph request."""
        self.requests += 1
        document = _parsed(query)
        if isinstance(document, list):
            return {"data": None, "errors": [dict(error.formatted) for error in document]}
        is_mutation = document.definitions[0].operation.value == "mutation"  # type: ignore[attr-defined]
        root = self.mutation_root() if is_mutation else self.root()
        result = execute(SCHEMA, document, root, variable_values=variables)
        if isawaitable(result):
            result = await result
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [dict(error.formatted) for error in result.errors]
        return out

    def asgi(self) -> Starlette:
        """The subgraph as an HTTP app (``POST /graphql``)."""
        from starlette.requests import Request
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        async def endpoint(request: Request) -> JSONResponse:
            body = await request.json()
            return JSONResponse(await self.execute(body["query"], body.get("variables")))

        return Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])


@functools.cache
def supergraph_sdl(applications_url: str = "http://applications.test/graphql") -> str:
    """Compose the committed subgraph SDL files (only ``applications`` is ever called)."""
    from gateway.composition import SubgraphSource, Success, compose

    sources = [
        SubgraphSource(
            name,
            applications_url if name == "applications" else f"http://{name}.test/graphql",
            (SUBGRAPHS / f"{name}.graphql").read_text(encoding="utf-8"),
        )
        for name in ("client_info", "applications", "core_app")
    ]
    result = compose(sources)
    assert isinstance(result, Success), result
    return result.supergraph_sdl


def make_gateway(subgraph: ApplicationsSubgraph | None = None, **settings: Any) -> Gateway:
    """A ``Gateway`` on the composed supergraph whose subgraph requests ``subgraph`` answers."""
    from gateway.config import Settings
    from gateway.execution import MockTransport, SubgraphRequest
    from gateway.pipeline import Gateway
    from gateway.planner import QueryPlanner
    from gateway.supergraph import load_supergraph

    world = subgraph or ApplicationsSubgraph()

    async def handler(request: SubgraphRequest) -> dict[str, Any]:
        return await world.execute(request.query, request.variables)

    sdl = supergraph_sdl()
    supergraph = load_supergraph(sdl)
    return Gateway(
        supergraph, QueryPlanner(supergraph), MockTransport(handler), Settings(**settings), supergraph_id="t"
    )


def write_partners(tmp_path: Path, partners: str, defaults: str = "") -> Path:
    """A partner file in ``tmp_path``; ``{manifests}`` in the text is the deploy manifest folder."""
    path = tmp_path / "partners.yaml"
    text = (defaults + "\npartners:\n" + partners).replace("{manifests}", str(DEPLOY / "manifests"))
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def partner_app(
    tmp_path: Path,
    subgraph: ApplicationsSubgraph,
    *,
    partners: Path = DEPLOY / "partners.yaml",
    rest: Path | None = DEPLOY / "rest.yaml",
    redis_url: str | None = None,
    redis_prefix: str = "test",
    **settings: Any,
) -> Starlette:
    """The gateway app with the partner API, its subgraph requests answered by ``subgraph``."""
    from gateway.config import Settings
    from gateway.execution import MockTransport, SubgraphRequest
    from gateway.http import create_app

    path = tmp_path / "supergraph.graphql"
    if not path.exists():
        path.write_text(supergraph_sdl(), encoding="utf-8")

    async def handler(request: SubgraphRequest) -> dict[str, Any]:
        assert request.service_name == "applications", request.service_name
        subgraph.headers.append(dict(request.headers))
        return await subgraph.execute(request.query, request.variables)

    configured = Settings(
        supergraph_path=str(path),
        partners_path=str(partners),
        rest_path=str(rest) if rest else None,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        **settings,
    )
    return create_app(configured, transport=MockTransport(handler))


def gateway_command(supergraph: Path, port: int, partners: Path, rest: Path | None = None) -> list[str]:
    """The command line of one gateway process with the partner API (``python -m gateway``)."""
    import sys

    command = [sys.executable, "-m", "gateway", "--supergraph", str(supergraph), "--port", str(port)]
    command += ["--partners", str(partners)]
    if rest is not None:
        command += ["--rest", str(rest)]
    return command


def subgraph_command(port: int) -> list[str]:
    """The command line of the in-memory applications subgraph process."""
    import sys

    return [sys.executable, str(Path(__file__)), "subgraph", "--port", str(port)]


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise AssertionError(f"{url} exited with {process.returncode}: {stderr[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not become ready in 30 s")


@contextmanager
def gateway_cluster(
    tmp: Path,
    partners: Path,
    *,
    replicas: int = 1,
    rest: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[list[str]]:
    """Run the subgraph and ``replicas`` gateway processes; yield the gateways' base URLs."""
    subgraph_port, *ports = (free_port() for _ in range(replicas + 1))
    supergraph = tmp / "supergraph.graphql"
    supergraph.write_text(supergraph_sdl(f"http://127.0.0.1:{subgraph_port}/graphql"), encoding="utf-8")
    environment = {**os.environ, **(env or {})}
    processes: list[subprocess.Popen[bytes]] = []

    def start(command: list[str], ready: str) -> None:
        process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        processes.append(process)
        _wait_ready(ready, process)

    try:
        start(subgraph_command(subgraph_port), f"http://127.0.0.1:{subgraph_port}/graphql")
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for port, url in zip(ports, urls, strict=True):
            start(gateway_command(supergraph, port, partners, rest), url + "/health")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr:
                process.stderr.close()


def _main() -> None:
    parser = argparse.ArgumentParser(description="Serve the in-memory applications subgraph.")
    parser.add_argument("command", choices=["subgraph"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    import uvicorn

    uvicorn.run(
        ApplicationsSubgraph().asgi(), host="127.0.0.1", port=args.port, log_level="warning", access_log=False
    )


if __name__ == "__main__":
    _main()
