"""Profile the Python gateway under load with py-spy and summarise where the time goes.

``python bench/gateway.py --only python --py-spy /tmp/gw`` records the measurement window of
each Python row (``py-spy record --format raw``: collapsed stacks) and prints two top lists:
functions by *self* time (where the CPU actually is) and by *total* time (which stages are
expensive, callees included). py-spy is optional: ``.venv/bin/pip install py-spy``.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections import Counter
from pathlib import Path

__all__ = ["record", "summarize"]


def _py_spy() -> str | None:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


async def record(pid: int, delay: float, seconds: float, output: Path) -> str | None:
    """Wait ``delay`` s, then sample ``pid`` for ``seconds`` s into ``output`` (collapsed stacks).

    Returns:
        None on success, else a sentence saying why there is no profile.
    """
    binary = _py_spy()
    if binary is None:
        return "py-spy is not installed; run '.venv/bin/pip install py-spy'."
    await asyncio.sleep(delay)
    process = await asyncio.create_subprocess_exec(
        binary,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, int(seconds))),
        "--rate",
        "250",
        "--format",
        "raw",
        "--nonblocking",
        "--output",
        str(output),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    if process.returncode != 0:
        return f"py-spy failed: {stderr.decode(errors='replace').strip()[-300:]}"
    return None


def _frame_name(frame: str) -> str:
    # "handle (gateway/pipeline.py:120)" -> "handle (gateway/pipeline.py)"
    name, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0].rstrip(")")
    for marker in ("/site-packages/", "/work/main/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})" if path else name


def summarize(path: Path, top: int = 15, focus: str | None = None) -> str:
    """The top functions by self and by total samples in a ``--format raw`` py-spy profile.

    Args:
        path: The profile (collapsed stacks).
        top: How many functions each list shows.
        focus: When given, the total list shows only functions whose location contains it
            (e.g. ``"gateway/"``), hiding the server frames every sample passes through.
    """
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(frame) for frame in stack.split(";") if frame]
        if not frames:
            continue
        samples += count
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    if not samples:
        return "no samples"
    lines = [f"{samples} samples", "self %  function"]
    lines += [f"{100 * n / samples:6.1f}  {name}" for name, n in own.most_common(top)]
    lines += ["total %  function" + (f" (in {focus!r})" if focus else "")]
    ranked = [(name, n) for name, n in total.most_common() if focus is None or focus in name]
    lines += [f"{100 * n / samples:6.1f}  {name}" for name, n in ranked[: top + 5]]
    return "\n".join(lines)
