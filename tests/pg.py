"""A real, throwaway PostgreSQL server for tests: initdb + pg_ctl on 127.0.0.1, a free port and a
private socket directory. As root it runs as the ``postgres`` system user (initdb and postgres
refuse root). The fault suite stops and restarts it on purpose (``stop(mode="immediate")`` is a
crash: no checkpoint, the server recovers from its WAL on the next start)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.servers import free_port


def pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def available() -> bool:
    return bool(pg_bin("initdb") and pg_bin("pg_ctl"))


class PgServer:
    """One cluster: ``start()``, ``stop()``, ``start()`` again, ``destroy()``."""

    def __init__(self, fsync: bool = False) -> None:
        self.initdb, self.pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        assert self.initdb and self.pg_ctl, "PostgreSQL server binaries are not installed"
        self.root = Path(tempfile.mkdtemp(prefix="koc-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.sock.mkdir()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")
            os.chmod(self.root, 0o755)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self.fsync = fsync
        subprocess.run(self.prefix + [self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                                      "--no-sync"], check=True, capture_output=True)

    @property
    def url_base(self) -> str:  # postgresql+psycopg://postgres@127.0.0.1:PORT/
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/"

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        durability = "" if self.fsync else " -c fsync=off -c synchronous_commit=off"
        opts = f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c max_connections=200{durability}"
        subprocess.run(self.prefix + [self.pg_ctl, "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"),
                                      "-w", "-t", "60", "start"], check=True, capture_output=True)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(self.prefix + [self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"], capture_output=True)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_base + name
