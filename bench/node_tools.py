"""The Node side of the gateway benchmark: npm installs, composition, and launch scripts.

Everything lives in a cache directory outside the repository (``~/.cache/insuretech/bench-node``
unless ``INSURETECH_BENCH_NODE_DIR`` says otherwise). Packages are installed with ``npm`` when
missing; the small launch scripts are (re)written there at run time. Nothing here is needed to
benchmark the Python gateway alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "NODE_DIR",
    "NodeGateway",
    "compose_supergraph",
    "ensure_packages",
    "node_binary",
    "node_gateway",
]

NODE_DIR = Path(os.environ.get("INSURETECH_BENCH_NODE_DIR", Path.home() / ".cache/insuretech/bench-node"))

_PACKAGES = {
    "hive": ("@graphql-hive/gateway", "graphql"),
    "apollo": ("@apollo/gateway", "@apollo/server", "graphql"),
    "compose": ("@theguild/federation-composition", "graphql"),
}

_OVERRIDES = {"@graphql-tools/delegate": "12.2.1"}
"""Applied only when a plain install fails with ``ETARGET``: the newest ``@graphql-tools/delegate``
needs an ``@graphql-tools/batch-execute`` release that some registry mirrors do not carry yet."""

_COMPOSE_JS = """\
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { composeServices } from "@theguild/federation-composition";

const services = JSON.parse(readFileSync(0, "utf8"));
const result = composeServices(
  services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
);
if (result.errors && result.errors.length) {
  for (const error of result.errors) console.error(String(error.message ?? error));
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
"""

_APOLLO_JS = """\
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { ApolloGateway } from "@apollo/gateway";

const [supergraphPath, port] = process.argv.slice(2);
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, "utf8") });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: Number(port) } });
console.log(`apollo gateway ready at ${url}`);
"""

_HIVE_CONFIG_JS = """\
export const gatewayConfig = {{
  inboundInflightRequestDeduplication: {dedupe},
}};
"""


@dataclass(frozen=True, slots=True)
class NodeGateway:
    """How to start one Node gateway: the command line and its environment additions."""

    command: list[str]
    env: dict[str, str]
    cwd: Path


def node_binary() -> str | None:
    """The ``node`` executable on ``PATH`` (``/usr/bin/node`` here), or None."""
    return shutil.which("node")


def ensure_packages(kind: str) -> str | None:
    """Install the npm packages ``kind`` needs into ``NODE_DIR`` when missing.

    Returns:
        None when the packages are present, else a sentence saying why they are not.
    """
    if node_binary() is None or shutil.which("npm") is None:
        return "Node.js and npm are not on PATH; install them to compare with the Node gateways."
    packages = _PACKAGES[kind]
    missing = [name for name in packages if not (NODE_DIR / "node_modules" / name / "package.json").exists()]
    if not missing:
        return None
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    manifest = NODE_DIR / "package.json"
    if not manifest.exists():
        manifest.write_text(json.dumps({"name": "insuretech-bench-node", "private": True}, indent=1))
    print(f"installing {', '.join(missing)} with npm into {NODE_DIR} ...", flush=True)
    done = _npm_install(missing)
    if done.returncode != 0 and "ETARGET" in done.stderr:
        # A registry mirror without the newest transitive release: pin the known culprit, retry.
        document = json.loads(manifest.read_text())
        document["overrides"] = {**document.get("overrides", {}), **_OVERRIDES}
        manifest.write_text(json.dumps(document, indent=1))
        done = _npm_install(missing)
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        return f"npm install of {', '.join(missing)} failed ({tail})."
    return None


def _npm_install(packages: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", *packages],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def compose_supergraph(services: list[tuple[str, str, str]]) -> str:
    """Compose ``(name, url, sdl)`` subgraphs with ``@theguild/federation-composition``.

    Raises:
        RuntimeError: npm or composition failed; the message carries the reason.
    """
    reason = ensure_packages("compose")
    if reason:
        raise RuntimeError(reason)
    script = NODE_DIR / "compose.mjs"
    script.write_text(_COMPOSE_JS)
    payload = json.dumps([{"name": n, "url": u, "sdl": s} for n, u, s in services])
    done = subprocess.run(
        [str(node_binary()), str(script)],
        input=payload,
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Composition failed: {done.stderr.strip()}")
    return done.stdout


def node_gateway(
    kind: str, supergraph: Path, port: int, *, dedupe: bool = False, jit: bool = True
) -> NodeGateway:
    """The command that serves ``supergraph`` on ``port`` with the Node gateway ``kind``.

    ``hive`` runs the ``hive-gateway`` CLI in one process (``--fork 0``) with ``--jit``, as in
    The Guild's benchmark (``jit=False`` drops it); ``dedupe`` turns on its inbound in-flight
    request deduplication.
    ``apollo`` runs ``@apollo/server``'s standalone server in front of ``@apollo/gateway``.
    """
    node = str(node_binary())
    env = {"NODE_ENV": "production"}
    if kind == "hive":
        config = NODE_DIR / f"hive-gateway{'-dedupe' if dedupe else ''}.config.mjs"
        config.write_text(_HIVE_CONFIG_JS.format(dedupe="true" if dedupe else "false"))
        cli = NODE_DIR / "node_modules/@graphql-hive/gateway/dist/bin.js"
        command = [node, str(cli), "supergraph", str(supergraph), "--host", "127.0.0.1"]
        command += ["--port", str(port), "--fork", "0", "--no-masked-errors", "--config-path", str(config)]
        if jit:
            command.append("--jit")
        return NodeGateway(command=command, env=env, cwd=NODE_DIR)
    if kind == "apollo":
        script = NODE_DIR / "apollo-gateway.mjs"
        script.write_text(_APOLLO_JS)
        return NodeGateway(command=[node, str(script), str(supergraph), str(port)], env=env, cwd=NODE_DIR)
    raise ValueError(f"Unknown Node gateway {kind!r}; use 'hive' or 'apollo'.")
