"""Run generated operations through our gateway, Hive Gateway and the oracle, and tally the results.

For each world (``worlds``) the servers are real processes on this machine: the subgraphs (and
oracles) of the in-process worlds in one ``server`` process, or the project's whole stack from
``insuretech up``; our gateway (``python -m gateway``); and ``@graphql-hive/gateway`` from npm
(installed into the benchmark's Node cache by ``bench.node_tools``), both on the same supergraph
file. Every operation goes to each of them; responses are compared with ``compare.canonical``.

An operation counts as *identical* when every server agrees. Otherwise it is classified by who
disagrees with whom: where an oracle exists it decides, so ``ours≠oracle`` is a defect of ours and
``hive≠oracle`` one of Hive's; without an oracle, ``ours≠hive``. A difference that a listed
``KnownDifference`` explains is counted under its name; any other is *unexplained* and kept as an
example (document, variables and the responses) for whoever has to look at it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench import node_tools
from bench.differential.compare import Canonical, canonical, classify
from bench.differential.generator import GeneratedOperation, OperationGenerator
from bench.differential.known import KNOWN_DIFFERENCES, Context, KnownDifference
from bench.differential.worlds import ROOT, World, with_subgraph_urls
from bench.processes import HOST, ServerProcess, free_port, start, stop, wait_ready
from gateway.supergraph import load_supergraph

__all__ = [
    "Endpoints",
    "Example",
    "Pair",
    "Tally",
    "compare_world",
    "gateways",
    "run_worlds",
    "subgraph_server",
]

_CPUS = "0,1"

HIVE_FRESH_EVERY = 2_000
"""Hive Gateway's resident memory grows by megabytes per distinct operation (4 GB after about
1,300 generated operations here, and it slows down with it); the run starts it afresh this often."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where one world is answered: GraphQL URLs of the two gateways and of the oracle."""

    ours: str
    hive: str
    oracle: str | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """An unexplained difference, with what it takes to reproduce it."""

    kind: str
    operation: GeneratedOperation
    responses: dict[str, Any]


@dataclass
class Tally:
    """The counts of one world's run."""

    world: str
    sent: int = 0
    identical: int = 0
    differing: Counter[str] = field(default_factory=Counter)
    """Difference class (``hive≠oracle: data``) → operations, explained or not."""
    known: Counter[str] = field(default_factory=Counter)
    """Known difference name → operations it explained."""
    unexplained: list[Example] = field(default_factory=list)
    hive_restarts: list[tuple[int | None, int]] = field(default_factory=list)
    """(seed answered last before Hive Gateway exited, seed in flight) per restart."""

    @property
    def failures(self) -> int:
        """Operations whose difference no known difference explains (or where ours is wrong)."""
        return len(self.unexplained)

    def lines(self) -> list[str]:
        """The tally as printable lines."""
        out = [f"{self.world}: sent {self.sent}, identical {self.identical}"]
        out += [f"  differing, {kind}: {count}" for kind, count in sorted(self.differing.items())]
        out += [
            f"    explained by known difference '{name}': {count}"
            for name, count in sorted(self.known.items())
        ]
        out.append(f"  unexplained: {self.failures}")
        if self.hive_restarts:
            seeds = ", ".join(f"{last} or {current}" for last, current in self.hive_restarts[:5])
            out.append(
                f"  Hive Gateway exited and was restarted {len(self.hive_restarts)} times (after seeds {seeds})"
            )
        return out


async def _post(client: httpx.AsyncClient, url: str, operation: GeneratedOperation) -> Any:
    """POST the operation; a connection the server closed while idle is retried once (reads only)."""
    body = orjson.dumps({"query": operation.document, "variables": operation.variables})
    failure: Exception | None = None
    for _ in range(2):
        try:
            response = await client.post(url, content=body, headers={"content-type": "application/json"})
            return orjson.loads(response.content)
        except httpx.TransportError as exc:
            failure = exc
        except (httpx.HTTPError, orjson.JSONDecodeError) as exc:
            failure = exc
            break
    return {"errors": [{"message": f"{_NO_RESPONSE} {url}: {failure!r}"}]}


_NO_RESPONSE = "No GraphQL response from"


async def _explain(
    known: Sequence[KnownDifference], operation: GeneratedOperation, ours: Any, hive: Any, context: Context
) -> list[KnownDifference] | None:
    """The known differences that together explain ``hive`` differing from ``ours``, or ``None``.

    One that explains everything (``aspect == "all"``) suffices; otherwise a differing ``data``
    needs a data explanation and differing error paths an errors explanation.
    """
    for candidate in known:
        if candidate.aspect == "all" and await candidate.explains(operation, ours, hive, context):
            return [candidate]
    mine, theirs = canonical(ours), canonical(hive)
    needed = []
    if not mine.data_equal(theirs):
        needed.append("data")
    if (mine.error_paths, mine.pathless_errors, mine.repeated_paths) != (
        theirs.error_paths,
        theirs.pathless_errors,
        theirs.repeated_paths,
    ):
        needed.append("errors")
    found: list[KnownDifference] = []
    for aspect in needed:
        match = None
        for candidate in known:
            if candidate.aspect == aspect and await candidate.explains(operation, ours, hive, context):
                match = candidate
                break
        if match is None:
            return None
        found.append(match)
    return found


async def compare_world(
    world: World,
    endpoints: Endpoints,
    seeds: Sequence[int],
    *,
    restart_hive: Callable[..., Awaitable[bool]] | None = None,
    concurrency: int = 4,
    deadline: float | None = None,
    keep_examples: int = 20,
    known: Sequence[KnownDifference] = KNOWN_DIFFERENCES,
    progress: Callable[[Tally], None] | None = None,
) -> Tally:
    """Send the operation of every seed to the world's endpoints and tally how they compare.

    Requests to Hive Gateway are sent one at a time, so when it exits the operations that can
    have caused it are known: the last one answered and the one in flight. It is restarted with
    ``restart_hive`` (which says whether it had exited) and the operation in flight is sent again.
    Past ``deadline`` (``time.monotonic()``) no new operation is sent: the tally covers fewer seeds.
    """
    schema = load_supergraph(world.supergraph_sdl).api_schema
    generator = OperationGenerator(schema, world.pools)
    tally = Tally(world.name)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for seed in seeds:
        queue.put_nowait(seed)
    hive_lock = asyncio.Lock()
    last_answered: list[int | None] = [None]
    answered = [0]
    limits = httpx.Limits(max_connections=concurrency * 3, max_keepalive_connections=concurrency * 3)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def ask_hive(document: str, variables: dict[str, Any], seed: int = -1) -> Any:
            operation = GeneratedOperation(document, variables, seed)
            async with hive_lock:
                answered[0] += 1
                if restart_hive is not None and answered[0] % HIVE_FRESH_EVERY == 0:
                    await restart_hive(force=True)  # its memory grows with every new operation
                reply = await _post(client, endpoints.hive, operation)
                if _no_response(reply) and restart_hive is not None:
                    if await restart_hive():
                        # It had exited: after the operation it answered last, or during this one.
                        tally.hive_restarts.append((last_answered[0], seed))
                    reply = await _post(client, endpoints.hive, operation)
                last_answered[0] = seed
                return reply

        async def worker() -> None:
            while not queue.empty() and (deadline is None or time.monotonic() < deadline):
                operation = generator.generate(queue.get_nowait())
                others = {"ours": endpoints.ours}
                if endpoints.oracle:
                    others["oracle"] = endpoints.oracle
                replies = await asyncio.gather(
                    ask_hive(operation.document, operation.variables, operation.seed),
                    *(_post(client, url, operation) for url in others.values()),
                )
                responses = dict(zip(["hive", *others], replies, strict=True))
                context = Context(partial(ask_hive, seed=operation.seed), schema)
                await _record(tally, operation, responses, known, keep_examples, context)
                if progress is not None and tally.sent % 1000 == 0:
                    progress(tally)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally


def _no_response(reply: Any) -> bool:
    errors = reply.get("errors") if isinstance(reply, dict) else None
    if not errors or "data" in reply:
        return False
    return str(errors[0].get("message", "")).startswith(_NO_RESPONSE)


async def _record(
    tally: Tally,
    operation: GeneratedOperation,
    responses: dict[str, Any],
    known: Sequence[KnownDifference],
    keep_examples: int,
    context: Context,
) -> None:
    tally.sent += 1
    shapes: dict[str, Canonical] = {name: canonical(body) for name, body in responses.items()}
    judge = "oracle" if "oracle" in shapes else "hive"
    ours = classify(shapes["ours"], shapes[judge])
    hive = classify(shapes["hive"], shapes[judge]) if judge == "oracle" else ours
    if ours.identical and hive.identical:
        tally.identical += 1
        return
    explained: list[KnownDifference] | None = None
    if not ours.identical:
        kind = f"ours≠{judge}: {ours.kind}"
        if judge == "hive":
            explained = await _explain(known, operation, responses["ours"], responses["hive"], context)
    else:
        kind = f"hive≠oracle: {hive.kind}"
        explained = await _explain(known, operation, responses["ours"], responses["hive"], context)
    tally.differing[kind] += 1
    if explained is not None:
        tally.known[" + ".join(k.name for k in explained)] += 1
    else:
        tally.unexplained.append(
            Example(kind, operation, responses if len(tally.unexplained) < keep_examples else {})
        )


# -- servers --------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def subgraph_server(worlds: Sequence[str], logs: Path) -> AsyncIterator[str]:
    """Serve the subgraphs and oracles of ``worlds``; yield the server's base URL."""
    port = free_port()
    process = start(
        "subgraphs",
        [
            sys.executable,
            "-m",
            "bench.differential.server",
            "--port",
            str(port),
            "--worlds",
            ",".join(worlds),
        ],
        _CPUS,
        env={"PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        logs=logs,
    )
    try:
        await _ready(process, port, f"/{worlds[0]}/oracle")
        yield f"http://{HOST}:{port}"
    finally:
        stop(process)


async def _ready(process: ServerProcess, port: int, path: str) -> None:
    reason = await wait_ready(process, port, path)
    if reason is not None:
        raise RuntimeError(reason)


@dataclass
class Pair:
    """Our gateway and Hive Gateway serving one world (Hive can be restarted after it exits)."""

    ours: str
    hive: str
    restart_hive: Callable[..., Awaitable[bool]]
    """Restart Hive Gateway if its process has exited (or with ``force=True`` anyway); return
    whether it had exited."""


@contextlib.asynccontextmanager
async def gateways(world: World, url_of: dict[str, str], logs: Path) -> AsyncIterator[Pair]:
    """Start our gateway and Hive Gateway on ``world``'s supergraph (subgraphs at ``url_of``).

    Raises:
        RuntimeError: Node/npm is missing, the npm install failed, or a gateway did not start.
    """
    reason = node_tools.ensure_packages("hive")
    if reason is not None:
        raise RuntimeError(reason)
    with tempfile.TemporaryDirectory(prefix=f"differential-{world.name}-") as folder:
        supergraph = Path(folder) / "supergraph.graphql"
        supergraph.write_text(with_subgraph_urls(world.supergraph_sdl, url_of))
        ours_port, hive_port = free_port(), free_port()
        ours = start(
            f"ours-{world.name}",
            [sys.executable, "-m", "gateway", "--supergraph", str(supergraph), "--port", str(ours_port)],
            _CPUS,
            env={"PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            logs=logs,
        )
        command = node_tools.node_gateway("hive", supergraph, hive_port, jit=False)
        hive = [
            start(f"hive-{world.name}", command.command, _CPUS, env=command.env, cwd=command.cwd, logs=logs)
        ]

        restarts = [0]

        async def restart_hive(force: bool = False) -> bool:
            for _ in range(0 if force else 50):  # an exiting process closes its port before it is gone
                if hive[0].popen.poll() is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                if not force:
                    return False  # alive: it was only slow
            stop(hive[0])
            restarts[0] += 1
            name = f"hive-{world.name}-{restarts[0]}"
            hive[0] = start(name, command.command, _CPUS, env=command.env, cwd=command.cwd, logs=logs)
            await _ready(hive[0], hive_port, "/graphql")
            return True

        try:
            await _ready(ours, ours_port, "/graphql")
            await _ready(hive[0], hive_port, "/graphql")
            yield Pair(
                f"http://{HOST}:{ours_port}/graphql", f"http://{HOST}:{hive_port}/graphql", restart_hive
            )
        finally:
            stop(hive[0])
            stop(ours)


async def run_worlds(
    names: Sequence[str],
    seeds: Sequence[int],
    logs: Path,
    *,
    concurrency: int = 4,
    stop_after: float | None = None,
    port_offset: int | None = None,
    progress: Callable[[Tally], None] | None = None,
    done: Callable[[Tally], None] | None = None,
) -> list[Tally]:
    """Start the servers of each named world in turn and compare every seed's operation there.

    ``media`` and ``bench`` run in one subgraph server; ``project`` runs ``insuretech up``
    (``port_offset`` shifts its ports). ``done`` is called with each world's tally. With
    ``stop_after`` a world sends no new operation after that many seconds.
    """
    from bench.differential.project import project_stack
    from bench.differential.server import WORLDS

    tallies: list[Tally] = []

    async def compare(world: World, urls: dict[str, str], oracle: str | None) -> None:
        async with gateways(world, urls, logs) as pair:
            tally = await compare_world(
                world,
                Endpoints(pair.ours, pair.hive, oracle),
                seeds,
                restart_hive=pair.restart_hive,
                concurrency=concurrency,
                deadline=None if stop_after is None else time.monotonic() + stop_after,
                progress=progress,
            )
        tallies.append(tally)
        if done is not None:
            done(tally)

    local = [name for name in names if name in WORLDS]
    if local:
        async with subgraph_server(local, logs) as base:
            for name in local:
                world = WORLDS[name]()
                urls = {sub: f"{base}/{name}/{sub}" for sub in world.subgraphs}
                await compare(world, urls, f"{base}/{name}/oracle" if world.oracle else None)
    if "project" in names:
        async with project_stack(logs, port_offset) as (world, _, urls):
            await compare(world, urls, None)
    return tallies
