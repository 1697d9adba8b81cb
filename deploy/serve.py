"""`make serve`: several `streamlit run app.py` processes behind nginx, on one port.

One Streamlit process runs its sessions' scripts one after another on about one core
(docs/scaling.md), so a meeting opening a link together waits in line. This starts N
processes on free local ports, each reading the same warehouse (VOCDASH_DB) read-only, and
Debian's nginx in front of them on one port, from deploy/nginx.conf.template: a browser is
pinned to one process by a cookie, new browsers are taken in turn.

It keeps them running: a process that dies is started again on its port (a crash loop backs
off), and so is nginx. Ctrl-C or SIGTERM stops nginx, then every app process, and exits;
every child is also told to stop should this supervisor itself be killed (PR_SET_PDEATHSIG).
All files (nginx's config, pid, temp dirs; the logs unless --log-dir) live in --run-dir,
by default a temporary directory removed at exit. state.json there says what runs where.

    python -m deploy.serve [--procs N] [--port 8501] [--address 127.0.0.1] [--db PATH]
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
PORT_IN_USE = "another program already listens on"
START_TIMEOUT = 120  # seconds for a process to answer its health check at start
STOP_TIMEOUT = 10  # seconds for everything to stop after SIGTERM before SIGKILL
# Settings the children must not inherit: each app gets its own port, address and (shared) secret.
_STREAMLIT_ENV = ("STREAMLIT_SERVER_PORT", "STREAMLIT_SERVER_ADDRESS")


class Stop(Exception):
    """Ctrl-C or SIGTERM: stop everything and exit."""


def find_nginx() -> str:
    # /usr/sbin is not on an ordinary user's PATH on Debian.
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not found:
        raise SystemExit("nginx is missing: run scripts/ensure-nginx.sh (make serve does), or apt-get install nginx")
    return found


def free_ports(count: int, address: str = "127.0.0.1", avoid: frozenset[int] = frozenset()) -> list[int]:
    """Ports the OS says are free now (all held open together, so they differ), none in `avoid`:
    nginx's own port is not bound until the apps are up, so the OS could hand it out again."""
    probes: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            probe = socket.socket()
            probes.append(probe)  # an avoided one stays held too, so the next bind gets another
            probe.bind((address, 0))
            if probe.getsockname()[1] not in avoid:
                ports.append(probe.getsockname()[1])
        return ports
    finally:
        for probe in probes:
            probe.close()


def port_in_use(address: str, port: int) -> bool:
    """Whether something already listens on address:port (bound as nginx binds it, with
    SO_REUSEADDR, so a connection still closing does not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address or "0.0.0.0", port))
        except OSError:
            return True
    return False


def max_upload_mb() -> int:
    """The app's upload cap (.streamlit/config.toml server.maxUploadSize, Streamlit's default 200)."""
    config = ROOT / ".streamlit" / "config.toml"
    settings = tomllib.loads(config.read_text(encoding="utf-8")) if config.exists() else {}
    return int(settings.get("server", {}).get("maxUploadSize", 200))


def render(template: str, *, listen: str, ports: list[int], nginx_dir: Path, log_dir: Path, max_body_mb: int) -> str:
    """The nginx config for these app ports. Every {{field}} must be filled."""
    indent = " " * 8
    upstreams = []
    for port in ports:
        lines = [f"    upstream vocdash_{port} {{", f"{indent}server 127.0.0.1:{port};"]
        lines += [f"{indent}server 127.0.0.1:{other} backup;" for other in ports if other != port]
        upstreams.append("\n".join(lines + ["    }"]))
    fields = {
        "listen": listen,
        "nginx_dir": str(nginx_dir),
        "log_dir": str(log_dir),
        # Multipart framing adds a little to a file: let the app, not nginx, refuse one too large.
        "max_body": f"{max_body_mb + 1}m",
        "route_map": "\n".join(f"{indent}{port} vocdash_{port};" for port in ports),
        "servers": "\n".join(f"{indent}server 127.0.0.1:{port};" for port in ports),
        "pinned_upstreams": "\n".join(upstreams),
    }
    text = template
    for name, value in fields.items():
        text = text.replace("{{" + name + "}}", value)
    left = re.findall(r"\{\{\w+\}\}", text)
    if left:
        raise ValueError(f"unfilled fields in {TEMPLATE.name}: {', '.join(left)}")
    return text


def _die_with_parent(parent: int):
    """Run in the child before exec: SIGTERM it when the supervisor dies, however it dies."""
    def hook():
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the supervisor died before the line above
            os._exit(1)
    return hook


def healthy(url: str, timeout: float = 2, via_nginx: bool = False) -> bool:
    """Whether url answers Streamlit's health check; with via_nginx, only when nginx answered
    (another program on nginx's port must not pass for it)."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200 and (not via_nginx or response.headers.get("Server", "").startswith("nginx"))
    except OSError:
        return False


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Child:
    """One supervised process, in a process group of its own (so a stop reaches everything it
    started, and a Ctrl-C at the terminal reaches only the supervisor, which stops it in order)."""

    def __init__(self, name: str, argv: list[str], env: dict, log: Path, health: str | None, via_nginx: bool = False):
        self.name, self.argv, self.env, self.log, self.health = name, argv, env, log, health
        self.via_nginx = via_nginx
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.restarts = 0
        self.backoff = 1.0
        self.due = 0.0  # when to start it again after it died

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                process_group=0, preexec_fn=_die_with_parent(os.getpid()),
            )
        self.started = time.monotonic()

    def signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                pass


class Supervisor:
    def __init__(self, procs: int, port: int, address: str, db: Path, run_dir: Path, log_dir: Path, first_app_port: int = 0):
        self.run_dir, self.log_dir = run_dir, log_dir
        self.nginx_dir = run_dir / "nginx"
        self.url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '') else address}:{port}"
        self.listen = f"{address}:{port}"
        self.address, self.port = address, port
        self.ports = list(range(first_app_port, first_app_port + procs)) if first_app_port else free_ports(procs, avoid=frozenset({port}))
        if port in self.ports:
            raise SystemExit(f"--first-app-port: the app ports {self.ports[0]}-{self.ports[-1]} include nginx's port {port}")
        env = {k: v for k, v in os.environ.items() if k not in _STREAMLIT_ENV}
        env["VOCDASH_DB"] = str(db.resolve())
        # Cookies (the XSRF token, a login) must verify in every process: one secret for all.
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.apps = [
            Child(
                f"app :{p}",
                [
                    sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                    "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(p),
                    "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                ],
                env, log_dir / f"app-{p}.log", f"http://127.0.0.1:{p}",
            )
            for p in self.ports
        ]
        conf = self.nginx_dir / "nginx.conf"
        nginx = find_nginx()
        self.nginx_argv = [nginx, "-p", f"{self.nginx_dir}/", "-c", str(conf), "-e", str(log_dir / "nginx-error.log")]
        # nginx needs no app setting, nor the secret; what it prints joins its error log.
        nginx_env = {k: v for k, v in env.items() if not k.startswith(("STREAMLIT_", "VOCDASH_"))}
        self.nginx = Child("nginx", self.nginx_argv, nginx_env, log_dir / "nginx-error.log", self.url, via_nginx=True)
        self.conf = conf
        self.stopping = False

    def say(self, text: str) -> None:
        print(f"[serve {time.strftime('%H:%M:%S')}] {text}", flush=True)

    def write_state(self, ready: bool) -> None:
        state = {
            "url": self.url, "ready": ready, "supervisor": os.getpid(), "run_dir": str(self.run_dir), "log_dir": str(self.log_dir),
            "nginx": {"pid": self.nginx.process.pid if self.nginx.process else None, "restarts": self.nginx.restarts},
            "apps": [
                {"port": p, "pid": a.process.pid if a.process else None, "restarts": a.restarts} for p, a in zip(self.ports, self.apps)
            ],
        }
        temporary = self.run_dir / "state.json.new"
        temporary.write_text(json.dumps(state, indent=1))
        os.replace(temporary, self.run_dir / "state.json")

    def wait_healthy(self, children: list[Child]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        waiting = list(children)
        while waiting:
            for child in list(waiting):
                if child.process.poll() is not None:
                    raise RuntimeError(f"{child.name} exited with {child.process.returncode}:\n{tail(child.log)}")
                if healthy(child.health, via_nginx=child.via_nginx):
                    waiting.remove(child)
            if time.monotonic() > deadline:
                raise RuntimeError(f"not healthy within {START_TIMEOUT} s: {', '.join(c.name for c in waiting)}")
            time.sleep(0.2)

    def start(self) -> None:
        for directory in (self.nginx_dir / "tmp", self.log_dir):
            directory.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(render(
            TEMPLATE.read_text(), listen=self.listen, ports=self.ports, nginx_dir=self.nginx_dir,
            log_dir=self.log_dir, max_body_mb=max_upload_mb(),
        ))
        check = subprocess.run(self.nginx_argv + ["-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused {self.conf}:\n{check.stderr}")
        # Checked before the apps start, and nginx's health must come from nginx: otherwise a
        # program already on the port answers the health check and nothing is pinned.
        if port_in_use(self.address, self.port):
            raise RuntimeError(f"{PORT_IN_USE} {self.listen}: stop what listens there, or choose --port")
        for app in self.apps:
            app.start()
        self.write_state(False)
        self.wait_healthy(self.apps)
        self.nginx.start()
        self.write_state(False)
        self.wait_healthy([self.nginx])
        self.write_state(True)
        self.say(
            f"{len(self.apps)} app processes (ports {', '.join(map(str, self.ports))}) behind nginx: open {self.url}\n"
            f"  warehouse {self.apps[0].env['VOCDASH_DB']}; logs in {self.log_dir}; Ctrl-C stops everything"
        )

    def watch(self) -> None:
        """Start again whatever died; a process that dies soon after starting waits longer each time."""
        while True:
            changed = False
            now = time.monotonic()
            for child in self.apps + [self.nginx]:
                code = child.process.poll()
                if code is None:
                    if now - child.started > 60:
                        child.backoff = 1.0  # it ran a while: the next death is not a crash loop
                    continue
                if not child.due:
                    child.due = now + child.backoff
                    self.say(f"{child.name} (pid {child.process.pid}) exited with {code}; restarting in {child.backoff:.0f} s\n{tail(child.log, 5)}")
                    if now - child.started < 60:
                        child.backoff = min(child.backoff * 2, 30)
                elif now >= child.due:
                    child.due = 0.0
                    child.restarts += 1
                    child.start()
                    self.say(f"{child.name} restarted (pid {child.process.pid})")
                    changed = True
            if changed:
                self.write_state(True)
            time.sleep(0.5)

    def stop(self) -> None:
        """nginx first (no new requests), then the apps; SIGKILL what is left after the timeout."""
        self.stopping = True
        children = [c for c in [self.nginx] + self.apps if c.process]
        for child in children:
            child.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop within {STOP_TIMEOUT} s: killing it")
                child.signal(signal.SIGKILL)
                child.process.wait()
            child.signal(signal.SIGKILL)  # anything it started and left in its group


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--procs", type=int, default=int(os.environ.get("SERVE_PROCS") or os.cpu_count() or 1),
                        help="app processes (default: SERVE_PROCS, else the number of cores)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("STREAMLIT_SERVER_PORT") or 8501),
                        help="the one port nginx listens on (default: STREAMLIT_SERVER_PORT, else 8501)")
    parser.add_argument("--address", default="127.0.0.1", help="address nginx listens on (0.0.0.0: every interface)")
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("VOCDASH_DB") or "data/warehouse.duckdb"),
                        help="the warehouse every process reads (default: VOCDASH_DB, else data/warehouse.duckdb)")
    parser.add_argument("--first-app-port", type=int, default=0,
                        help="app processes listen on 127.0.0.1 from this port up (default: free ports chosen at start)")
    parser.add_argument("--run-dir", type=Path, help="nginx's config, pid and temp files, state.json (default: a temporary directory, removed at exit)")
    parser.add_argument("--log-dir", type=Path, help="the app and nginx logs (default: RUN_DIR/logs)")
    args = parser.parse_args(argv)
    if args.procs < 1:
        parser.error("--procs must be at least 1")

    own_run_dir = args.run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="vocdash-serve-")) if own_run_dir else args.run_dir.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    log_dir = (args.log_dir or run_dir / "logs").resolve()

    def on_signal(signum, _frame):
        if not supervisor.stopping:
            supervisor.stopping = True
            raise Stop(signal.Signals(signum).name)

    supervisor = Supervisor(args.procs, args.port, args.address, args.db, run_dir, log_dir, args.first_app_port)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    try:
        supervisor.start()
        supervisor.watch()
    except Stop as stop:
        supervisor.say(f"{stop}: stopping")
    except RuntimeError as error:
        supervisor.say(f"could not start: {error}")
        code = 1
    finally:
        supervisor.stop()
        if own_run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)
    supervisor.say("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
