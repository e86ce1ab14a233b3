"""Build the web app (``web/``) when its sources changed, so ``./dev up`` can serve it.

The build's inputs — the app's sources, its package files and the API schema it is generated
from — are hashed into ``web/dist/.build-stamp``; an unchanged stamp means no work. Dependencies
are installed with ``npm ci`` (exactly ``package-lock.json``) when the lock file changed. Without
Node.js the system still starts: the API works, and the app and the explorer say how to build them.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["WEB_DIR", "build_inputs_digest", "ensure_web_build"]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
_STAMP = ".build-stamp"
_INSTALL_STAMP = ".install-stamp"
_SOURCE_DIRS = ("src", "explorer", "scripts")
_SKIP_DIRS = {"gql", "node_modules", "dist", "test-results"}
_TOP_FILES = (
    "package.json",
    "package-lock.json",
    "index.html",
    "tsconfig.json",
    "codegen.ts",
    "vite.config.ts",
)


def _inputs(web: Path) -> Iterator[Path]:
    for name in _TOP_FILES:
        yield web / name
    yield web / "vite.explorer.config.ts"
    yield web.parent / "schema" / "api.graphql"
    for folder in _SOURCE_DIRS:
        for path in sorted((web / folder).rglob("*")):
            if path.is_file() and not _SKIP_DIRS.intersection(path.relative_to(web).parts):
                yield path


def build_inputs_digest(web: Path = WEB_DIR) -> str:
    """SHA-256 over the paths and contents of everything the build reads."""
    digest = hashlib.sha256()
    for path in _inputs(web):
        if path.is_file():
            digest.update(str(path.relative_to(web.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(args: list[str], web: Path) -> bool:
    print(f"  web: {' '.join(args)}", flush=True)
    return subprocess.run(args, cwd=web, check=False).returncode == 0


def ensure_web_build(
    web: Path = WEB_DIR, *, which: Callable[[str], str | None] = shutil.which
) -> Path | None:
    """The built ``web/dist``, building it first when needed; ``None`` when it cannot be built.

    Args:
        web: The web app's folder.
        which: Finds ``npm`` on the PATH (a seam for tests).
    """
    dist = web / "dist"
    digest = build_inputs_digest(web)
    stamp = dist / _STAMP
    if stamp.is_file() and stamp.read_text().strip() == digest and (dist / "index.html").is_file():
        return dist
    npm = which("npm")
    if npm is None:
        print("  web: Node.js (npm) is not installed, so the web app and GraphiQL are not built.", flush=True)
        return dist if (dist / "index.html").is_file() else None
    lock = hashlib.sha256((web / "package-lock.json").read_bytes()).hexdigest()
    installed = web / "node_modules" / _INSTALL_STAMP
    if not (installed.is_file() and installed.read_text().strip() == lock):
        if not _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], web):
            print("  web: `npm ci` failed; the web app is not served.", flush=True)
            return None
        installed.write_text(lock)
    if not _run([npm, "run", "--silent", "build"], web):
        print("  web: the build failed; the web app is not served.", flush=True)
        return None
    stamp.write_text(digest)
    return dist
