"""Small measuring tools the benchmarks share: repeated timings, percentiles, peak memory."""
from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field


@dataclass
class Timings:
    """Seconds of repeated runs of one thing."""

    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile; with few samples p95 is the slowest run."""
        ordered = sorted(self.samples)
        rank = max(1, -(-int(share * 100) * len(ordered) // 100))
        return ordered[min(rank, len(ordered)) - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)


def repeat(action, times: int, warmup: int = 1) -> Timings:
    for _ in range(warmup):
        action()
    timings = Timings()
    for _ in range(times):
        started = time.perf_counter()
        action()
        timings.add(time.perf_counter() - started)
    return timings


@dataclass
class ChildRun:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child(argv: list[str], *, env: dict | None = None, cwd=None) -> ChildRun:
    """Run a command to its end; wall time and the child's own peak resident memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return ChildRun(
            seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
            out.read().decode(errors="replace"), err.read().decode(errors="replace"),
        )


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its threads, from /proc."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at the start"


def section_of(document: str, heading: str) -> str | None:
    """The text of the section under `heading` (to the next "## "), or None."""
    if heading not in document:
        return None
    start = document.index(heading)
    end = document.find("\n## ", start + len(heading))
    return document[start:end + 1] if end != -1 else document[start:]


def splice_section(document: str, heading: str, section: list[str] | str) -> str:
    """`document` with the section under `heading` replaced by `section`, or, where it has
    none, added before the closing "Reading the misses" section (else at the end)."""
    text = (section if isinstance(section, str) else "\n".join(section)).rstrip() + "\n"
    if heading in document:
        start = document.index(heading)
        end = document.find("\n## ", start + len(heading))
        return document[:start] + text + ("\n" + document[end + 1:] if end != -1 else "")
    anchor = document.find("## Reading the misses")
    if anchor == -1:
        return document.rstrip() + "\n\n" + text
    return document[:anchor] + text + "\n" + document[anchor:]
