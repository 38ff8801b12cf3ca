"""A throwaway Bolt server for the tests: ArcadeDB with its Neo4j Bolt plugin, in its own process.

Run as a script it is the server::

    GOVKG_BOLT_PASSWORD=… python tests/bolt_server.py ROOT BOLT_PORT HTTP_PORT DATABASE

It listens on 127.0.0.1 only, keeps its files (databases, logs) under ROOT,
creates DATABASE, prints ``READY bolt://127.0.0.1:BOLT_PORT`` and serves until
SIGTERM/SIGINT or until its stdin closes. The root password comes from the
environment, never from the command line (which ``ps`` shows to everyone).

Imported, :func:`launch` starts that script on free ports, waits until Bolt
answers and returns a :class:`BoltServer` whose ``stop()`` ends it by its pid
(the test fixture and scripts/bench_neo4j.py use it).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
USER = "root"


def serve(argv: list[str]) -> int:
    root, bolt_port, http_port, database = argv[0], int(argv[1]), int(argv[2]), argv[3]
    password = os.environ["GOVKG_BOLT_PASSWORD"]
    os.chdir(root)                        # ArcadeDB writes ./log under the working directory
    import arcadedb_embedded as arcadedb

    server = arcadedb.create_server(
        os.path.join(root, "server"),
        password,
        config={
            "host": "127.0.0.1",
            "http_port": http_port,
            "server_plugins": BOLT_PLUGIN,
            "bolt_port": bolt_port,
        },
    )
    server.start()
    server.create_database(database)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    # stdin closing (the process that started us died) also stops the server
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    print(f"READY bolt://127.0.0.1:{bolt_port}", flush=True)
    while not stop.wait(0.2):
        pass
    server.stop()
    return 0


def free_ports(n: int) -> list[int]:
    """``n`` distinct loopback ports that were free a moment ago."""
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class BoltServer:
    """A running server process: ``settings`` to reach it, ``stop()`` to end it."""

    def __init__(self, proc: subprocess.Popen, settings, log: Path):
        self.proc = proc
        self.settings = settings
        self.log = log

    def log_tail(self, n: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-n:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc.stdin:
            self.proc.stdin.close()


def launch(root, database: str = "govkg", timeout: float = 180) -> BoltServer:
    """Start the server under ``root`` and wait until Bolt answers; RuntimeError if it does not."""
    from kg.errors import KgError
    from kg.stores.neo4j import Neo4jSettings, counts

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    bolt_port, http_port = free_ports(2)
    password = secrets.token_urlsafe(18)
    log = root / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(root), str(bolt_port), str(http_port), database],
            stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
            env=dict(os.environ, GOVKG_BOLT_PASSWORD=password),
        )
    server = BoltServer(proc, Neo4jSettings(f"bolt://127.0.0.1:{bolt_port}", USER, password, database), log)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"bolt server exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            counts(server.settings)
            return server
        except KgError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"bolt server did not answer in {timeout:.0f} s:\n{server.log_tail()}")
            time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
