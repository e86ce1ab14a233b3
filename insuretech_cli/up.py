"""``insuretech up``: seed, start every backend, subgraph and the gateway, print the URLs, stop cleanly.

Children are started as separate processes in dependency order (backends, then subgraphs, then
the gateway), each awaited until its health check answers. SIGINT/SIGTERM, or any child dying,
stops them all in reverse order: SIGTERM first, SIGKILL after a grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc

from insuretech_cli.seeding import seed_all
from insuretech_cli.topology import BACKENDS, GATEWAY_PORT, SUBGRAPHS
from insuretech_cli.web_build import ensure_web_build

__all__ = ["Child", "run_up"]

_STARTUP_SECONDS = 60.0
_GRACE_SECONDS = 10.0


@dataclass
class Child:
    """One supervised process."""

    name: str
    process: asyncio.subprocess.Process


async def _spawn(name: str, args: list[str], env: dict[str, str]) -> Child:
    process = await asyncio.create_subprocess_exec(sys.executable, *args, env=env)
    return Child(name, process)


async def _await_grpc(child: Child, address: str, deadline: float) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            _check_alive(child)
            try:
                reply = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{child.name} did not become healthy at {address} in time.")
            await asyncio.sleep(0.2)


async def _await_http(child: Child, url: str, deadline: float) -> None:
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            _check_alive(child)
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{child.name} did not become healthy at {url} in time.")
            await asyncio.sleep(0.2)


def _check_alive(child: Child) -> None:
    if child.process.returncode is not None:
        raise RuntimeError(f"{child.name} exited with code {child.process.returncode} during start-up.")


async def _stop(children: list[Child]) -> None:
    for child in reversed(children):
        if child.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(signal.SIGTERM)
    for child in reversed(children):
        try:
            await asyncio.wait_for(child.process.wait(), _GRACE_SECONDS)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                child.process.kill()
            await child.process.wait()


async def run_up(
    *,
    clients: int,
    supergraph: Path,
    gateway: bool = True,
    port_offset: int = 0,
    partner_files: tuple[Path, Path] | None = None,
    web: bool = True,
    dev: bool = False,
) -> int:
    """Run the whole system until interrupted; returns the exit code.

    ``port_offset`` shifts every port (tests run beside a developer's system this way);
    ``partner_files`` (partners.yaml, rest.yaml) turns on the partner API and REST routes;
    ``web`` builds the web app when its sources changed and has the gateway serve it;
    ``dev`` starts the gateway with ``--dev`` (query plans on request, first-party free-form GraphQL).
    """
    highest = max(b.port for b in BACKENDS) + port_offset
    if port_offset < 0 or highest > 65535:
        print(f"insuretech up: --port-offset {port_offset} puts ports outside 1-65535.", file=sys.stderr)
        return 2
    backends = [replace(b, port=b.port + port_offset) for b in BACKENDS]
    subgraphs = [replace(s, port=s.port + port_offset) for s in SUBGRAPHS]
    gateway_port = GATEWAY_PORT + port_offset
    for report in await seed_all(clients):
        state = f"seeded {report.rows} rows" if report.rows else "already has data"
        print(f"  {report.service:<13} {state} ({report.seconds:.1f} s)", flush=True)

    web_dist = ensure_web_build() if web and gateway else None
    env = dict(os.environ)
    if web_dist is not None:
        env["INSURETECH_WEB_DIST"] = str(web_dist)  # the subgraphs' GraphiQL page comes from it
    for backend in backends:
        env[backend.env_var] = f"127.0.0.1:{backend.port}"
    for subgraph in subgraphs:  # the supergraph names the default ports
        env[f"GATEWAY_SUBGRAPH_URL_{subgraph.name.upper()}"] = subgraph.url
    children: list[Child] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    deadline = time.monotonic() + _STARTUP_SECONDS
    urls: list[tuple[str, str]] = []
    try:
        for backend in backends:
            children.append(
                await _spawn(
                    f"{backend.name} backend", ["-m", backend.module, "--port", str(backend.port)], env
                )
            )
        for child, backend in zip(children, backends, strict=True):
            await _await_grpc(child, f"127.0.0.1:{backend.port}", deadline)
            urls.append((child.name, f"grpc://127.0.0.1:{backend.port}"))
        started = len(children)
        for subgraph in subgraphs:
            children.append(
                await _spawn(
                    f"{subgraph.name} subgraph", ["-m", subgraph.module, "--port", str(subgraph.port)], env
                )
            )
        for child, subgraph in zip(children[started:], subgraphs, strict=True):
            await _await_http(child, f"http://127.0.0.1:{subgraph.port}/health", deadline)
            urls.append((child.name, subgraph.url))
        if gateway:
            args = ["-m", "gateway", "--supergraph", str(supergraph), "--port", str(gateway_port)]
            if partner_files is not None:
                args += ["--partners", str(partner_files[0]), "--rest", str(partner_files[1])]
            if web_dist is not None:
                args += ["--web", str(web_dist)]
            if dev:
                args.append("--dev")
            child = await _spawn("gateway", args, env)
            children.append(child)
            await _await_http(child, f"http://127.0.0.1:{gateway_port}/health", deadline)
            urls.insert(0, ("gateway (GraphiQL in a browser)", f"http://127.0.0.1:{gateway_port}/graphql"))
            if web_dist is not None:
                urls.insert(0, ("web app", f"http://127.0.0.1:{gateway_port}/"))
    except (TimeoutError, RuntimeError) as exc:
        print(f"insuretech up: {exc} Stopping everything.", file=sys.stderr, flush=True)
        await _stop(children)
        return 1

    print("\nInsureTech Supergraph is up:", flush=True)
    for name, url in urls:
        print(f"  {name:<32} {url}", flush=True)
    print(
        "Health at /health and metrics at /metrics on every HTTP port. Ctrl-C stops everything.", flush=True
    )

    waiters = {asyncio.ensure_future(child.process.wait()): child for child in children}
    stopper = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({stopper, *waiters}, return_when=asyncio.FIRST_COMPLETED)
    code = 0
    for task in done:
        if task in waiters:
            print(
                f"insuretech up: {waiters[task].name} exited with code {task.result()}; stopping.",
                file=sys.stderr,
            )
            code = 1
    stopper.cancel()
    await _stop(children)
    for task in waiters:
        task.cancel()
    print("Stopped.", flush=True)
    return code
