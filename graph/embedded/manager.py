"""Build, start, stop and find the embedded Neo4j of a ``KG_HOME``.

The embedded Neo4j is ``KgNeo4j.java`` (next to this module) running in a JVM of its own,
detached from the ``kg`` process that started it, and reachable over Bolt on
127.0.0.1:``port``. Under ``KG_HOME``:

* ``neo4j/``           the Neo4j home: store (``data/``; the graph's database in
                       ``data/databases/neo4j``), Neo4j's logs (``logs/debug.log``) and
                       ``password`` (mode 0600) of the user ``neo4j``
* ``logs/neo4j.log``   the JVM's stdout and stderr (one ``KgNeo4j ready:`` line per start)
* ``neo4j.pid``        pid and Bolt port of the running JVM

Memory: heap ``$KG_NEO4J_HEAP`` (default 3g), page cache ``$KG_NEO4J_PAGECACHE`` (default 2g).

Private: ``KG_HOME`` is made 0700, and what the embedded Neo4j keeps there (store, its logs,
the pid and lock files) 0700 for folders and 0600 for files: the JVM runs with umask 077, and
what an older kg left readable is made private at every start.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from core.errors import ConfigError, EmbeddedNeo4jError

__all__ = [
    "EMBEDDED_DIR",
    "LIB_DIR",
    "CLASSES_DIR",
    "EmbeddedNeo4j",
    "ensure_built",
]

EMBEDDED_DIR = Path(__file__).resolve().parent
POM = EMBEDDED_DIR / "pom.xml"
JAVA_SOURCE = EMBEDDED_DIR / "KgNeo4j.java"
TARGET_DIR = EMBEDDED_DIR / "target"
LIB_DIR = TARGET_DIR / "lib"
CLASSES_DIR = TARGET_DIR / "classes"
BUILT_STAMP = TARGET_DIR / ".built"  # the same stamp as the Makefile's $(JAVA_STAMP)
MAIN_CLASS = "KgNeo4j"
READY_MARK = "KgNeo4j ready:"
USERNAME = "neo4j"

DEFAULT_HEAP = "3g"
DEFAULT_PAGE_CACHE = "2g"
_JVM_SIZE = re.compile(r"^[1-9][0-9]*[kKmMgG]$")
_PAGE_CACHE_SIZE = re.compile(r"^[0-9]+(\.[0-9]+)?\s*([kKmMgGtT](i?[bB])?|[bB])?$")

# JVM options as in Neo4j's own neo4j.conf (server.jvm.additional), minus the diagnostics ones.
_JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    # Neo4j shuts its logging down itself, after the store is closed.
    "-Dlog4j2.shutdownHookEnabled=false",
    # Without these, the page cache and the transaction log fall back to slower code paths.
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
)


def _tail(path: Path, lines: int = 25, *, offset: int = 0) -> str:
    try:
        with path.open("rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", errors="replace")
    except OSError:
        return "(no log)"
    kept = text.splitlines()[-lines:]
    return "\n".join(kept) if kept else "(log is empty)"


#: the umask of the JVM: what Neo4j creates is readable by its owner only
JVM_UMASK = 0o077


def make_private(path: Path) -> None:
    """``path`` and, if a folder, everything under it: folders 0700, files 0600 (symbolic
    links are left alone; files vanishing meanwhile are skipped)."""

    def fix(item: Path, mode: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            st = item.lstat()
            if not item.is_symlink() and st.st_mode & 0o777 != mode:
                item.chmod(mode)

    if not path.exists():
        return
    if not path.is_dir():
        fix(path, 0o600)
        return
    fix(path, 0o700)
    for root, dirs, files in os.walk(path):
        for name in dirs:
            fix(Path(root, name), 0o700)
        for name in files:
            fix(Path(root, name), 0o600)


@contextlib.contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    """An exclusive advisory lock (POSIX), so that two ``kg`` processes do not race."""
    lock_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_file.touch(mode=0o600)
    with lock_file.open("a") as f:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield
            return
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _run_build_step(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(
            command,
            cwd=EMBEDDED_DIR,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as e:
        raise EmbeddedNeo4jError(f"could not run {command[0]} to {what}: {e}") from e
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        raise EmbeddedNeo4jError(
            f"{what} failed ({' '.join(command[:2])}... exited with {done.returncode}):\n{output}"
        )


def _is_built() -> bool:
    if not (CLASSES_DIR / f"{MAIN_CLASS}.class").is_file() or not BUILT_STAMP.is_file():
        return False
    if not any(LIB_DIR.glob("neo4j-bolt-*.jar")) or not any(LIB_DIR.glob("neo4j-kernel-*.jar")):
        return False
    stamp = BUILT_STAMP.stat().st_mtime
    return all(src.stat().st_mtime <= stamp for src in (POM, JAVA_SOURCE) if src.exists())


def ensure_built() -> None:
    """Fetch the Neo4j jars (Maven) and compile ``KgNeo4j.java`` unless already done.

    The same steps as the Makefile's ``$(JAVA_STAMP)`` target, so ``kg`` works without
    ``make setup``.
    """
    if _is_built():
        return
    with _locked(TARGET_DIR / ".build.lock"):
        if _is_built():  # built by another process meanwhile
            return
        mvn, javac = shutil.which("mvn"), shutil.which("javac")
        if mvn is None:
            raise EmbeddedNeo4jError(
                "Maven (mvn) is not installed: it is needed once to fetch Neo4j's jars "
                "(run `make setup`), or set NEO4J_URI to use an external Neo4j"
            )
        if javac is None:
            raise EmbeddedNeo4jError(
                "javac (a JDK 17) is not installed: it is needed once to build the embedded "
                "Neo4j launcher, or set NEO4J_URI to use an external Neo4j"
            )
        _run_build_step(
            [
                mvn,
                "--quiet",
                "--batch-mode",
                "-f",
                str(POM),
                "dependency:copy-dependencies",
                "-DoutputDirectory=target/lib",
                "-DincludeScope=runtime",
            ],
            "fetching Neo4j's jars with Maven",
        )
        CLASSES_DIR.mkdir(parents=True, exist_ok=True)
        _run_build_step(
            [
                javac,
                "-nowarn",
                "-cp",
                str(LIB_DIR / "*"),
                "-d",
                str(CLASSES_DIR),
                str(JAVA_SOURCE),
            ],
            "compiling KgNeo4j.java",
        )
        BUILT_STAMP.touch()


def _port_is_free(port: int) -> bool:
    """Whether 127.0.0.1:port can be listened on (as Neo4j does, with SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _bolt_answers(port: int, timeout: float = 2.0) -> bool:
    """Whether a Bolt server on 127.0.0.1:port completes the handshake."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            # Magic preamble, then four version proposals: 5.0-5.8, 4.4, none, none.
            s.sendall(b"\x60\x60\xb0\x17" + b"\x00\x08\x08\x05" + b"\x00\x00\x04\x04" + bytes(8))
            reply = b""
            while len(reply) < 4:
                chunk = s.recv(4 - len(reply))
                if not chunk:
                    return False
                reply += chunk
    except OSError:
        return False
    return reply != bytes(4)


def _live_command_line(pid: int) -> list[str] | None:
    """The command line of process ``pid`` while any of its threads is alive (Linux /proc).

    None once the process is gone (or a zombie); ``[]`` while it is exiting and its command
    line is no longer readable. A process is gone once every thread has exited, not when its
    main thread has: a killed JVM shows its main thread as a zombie while other threads still
    hold its sockets and files, and a thread releases its memory (so its command line) before
    its files.
    """
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    alive = False
    for tid in tasks:
        task = Path(f"/proc/{pid}/task/{tid}")
        try:
            state = (task / "stat").read_text().rpartition(")")[2].split()[0]
            if state in ("Z", "X", "x"):
                continue
            alive = True
            cmdline = (task / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if cmdline:
            return [a.decode(errors="replace") for a in cmdline.split(b"\0") if a]
    return [] if alive else None


class EmbeddedNeo4j:
    """The embedded Neo4j of ``home`` (a KG_HOME), listening on 127.0.0.1:``port``."""

    def __init__(
        self,
        home: Path,
        port: int,
        *,
        heap: str | None = None,
        page_cache: str | None = None,
    ) -> None:
        self.home = Path(home).resolve()
        self.port = int(port)
        self.neo4j_home = self.home / "neo4j"
        self.log_file = self.home / "logs" / "neo4j.log"
        self.pid_file = self.home / "neo4j.pid"
        self.password_file = self.neo4j_home / "password"
        #: the store of the graph's database (``neo4j``), created by the first start or import
        self.store = self.neo4j_home / "data" / "databases" / "neo4j"
        #: written while Neo4j's batch importer rebuilds the store (graph/embedded/importer.py)
        self.import_marker = self.neo4j_home / "import.pending"
        self._lock_file = self.home / "neo4j.lock"
        self._heap = heap
        self._page_cache = page_cache
        self._process: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"EmbeddedNeo4j(home={str(self.home)!r}, port={self.port})"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def username(self) -> str:
        return USERNAME

    # -- state -----------------------------------------------------------------------------

    def _read_pid_file(self) -> tuple[int, int | None] | None:
        try:
            fields = self.pid_file.read_text(encoding="ascii").split()
            pid = int(fields[0])
            port = int(fields[1]) if len(fields) > 1 else None
        except (OSError, ValueError, IndexError):
            return None
        return pid, port

    def _is_ours(self, pid: int) -> bool:
        """Whether ``pid`` is alive and is a KgNeo4j JVM serving this home."""
        if self._process is not None and self._process.pid == pid:
            if self._process.poll() is not None:  # our child exited: reap it
                return False
        if Path("/proc/self").exists():
            args = _live_command_line(pid)
            if args is None:
                return False
            if not args:  # exiting: still ours until it is gone (its pid cannot be reused yet)
                return True
        else:  # pragma: no cover - no /proc (macOS)
            try:
                import psutil

                process = psutil.Process(pid)
                if process.status() == psutil.STATUS_ZOMBIE:
                    return False
                args = process.cmdline()
            except ImportError:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return False
                except PermissionError:
                    pass
                return True
            except Exception:  # noqa: BLE001 - psutil.NoSuchProcess, AccessDenied, ...
                return False
        return MAIN_CLASS in args and str(self.neo4j_home) in args

    def pid(self) -> int | None:
        """The pid of the running embedded Neo4j, or None."""
        recorded = self._read_pid_file()
        if recorded is None or not self._is_ours(recorded[0]):
            return None
        return recorded[0]

    def is_running(self) -> bool:
        """Whether the JVM of the pid file is alive and is our KgNeo4j for this home."""
        return self.pid() is not None

    def running_port(self) -> int | None:
        """The Bolt port the running embedded Neo4j was started with, or None."""
        recorded = self._read_pid_file()
        if recorded is None or not self._is_ours(recorded[0]):
            return None
        return recorded[1]

    def known_empty(self) -> bool:
        """Whether the graph is empty, known without starting Neo4j: it is not running and its
        database has no store on disk (never started, or cleared after an interrupted
        import)."""
        return not self.store.exists() and not self.is_running()

    def password(self) -> str:
        """The password of the user ``neo4j`` (generated by the first start)."""
        try:
            password = self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise EmbeddedNeo4jError(
                f"no password file {self.password_file}: the embedded Neo4j has never been "
                "started in this KG_HOME; run `kg db start`"
            ) from None
        except OSError as e:
            raise EmbeddedNeo4jError(f"cannot read {self.password_file}: {e}") from e
        if not password:
            raise EmbeddedNeo4jError(
                f"{self.password_file} is empty; delete it and restart (`kg db stop`, "
                "`kg db start`): a new password is generated and applied"
            )
        return password

    # -- start -----------------------------------------------------------------------------

    def _memory(self) -> tuple[str, str]:
        heap = (self._heap or DEFAULT_HEAP).strip()
        page_cache = (self._page_cache or DEFAULT_PAGE_CACHE).strip()
        if not _JVM_SIZE.match(heap):
            raise ConfigError(f"KG_NEO4J_HEAP must be a JVM size such as 3g or 512m, not {heap!r}")
        if not _PAGE_CACHE_SIZE.match(page_cache):
            raise ConfigError(
                f"KG_NEO4J_PAGECACHE must be a size such as 2g or 512m, not {page_cache!r}"
            )
        return heap, page_cache

    def command(self) -> list[str]:
        """The java command line that runs this embedded Neo4j."""
        heap, page_cache = self._memory()
        classpath = os.pathsep.join([str(CLASSES_DIR), str(LIB_DIR / "*")])
        return [
            shutil.which("java") or "java",
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *_JVM_OPTIONS,
            "-cp",
            classpath,
            MAIN_CLASS,
            str(self.neo4j_home),
            str(self.port),
            page_cache,
        ]

    @property
    def heap(self) -> str:
        """The JVM heap size the embedded Neo4j runs with (e.g. ``3g``)."""
        return self._memory()[0]

    def start(self, timeout: float = 180, *, allow_pending_import: bool = False) -> None:
        """Start the embedded Neo4j unless it is running; return once Bolt answers.

        The JVM is detached (a session of its own): it outlives the calling process and runs
        until :meth:`stop` (``kg db stop``). It does not start on a store that a batch import
        was interrupted writing (``import.pending``): ``kg load`` clears it and imports again.
        """
        if self.import_marker.exists() and not allow_pending_import:
            raise EmbeddedNeo4jError(
                f"首次批量导入在写入 {self.neo4j_home} 时中断，数据库不完整：请重新运行 kg load，"
                "它会清除不完整的数据并从头导入 (a bulk import was interrupted: run kg load "
                "again, it starts the import from scratch)"
            )
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(self.home)
        with _locked(self._lock_file):
            deadline = time.monotonic() + timeout
            if self.is_running():
                running_port = self.running_port()
                if running_port is not None and running_port != self.port:
                    raise EmbeddedNeo4jError(
                        f"the embedded Neo4j of {self.home} is already running on port "
                        f"{running_port}, not {self.port}: set KG_BOLT_PORT={running_port}, "
                        "or run `kg db stop` first"
                    )
                if self._wait_for_bolt(deadline):
                    return
                # It died meanwhile (killed, or failed while started by another process).
                self.pid_file.unlink(missing_ok=True)
            self._launch(deadline)

    def _launch(self, deadline: float) -> None:
        command = self.command()  # checks the memory settings before building
        if shutil.which("java") is None:
            raise EmbeddedNeo4jError(
                "java is not installed (the embedded Neo4j needs Java 17): install a JDK 17, "
                "or set NEO4J_URI to use an external Neo4j"
            )
        ensure_built()
        if not _port_is_free(self.port):
            raise EmbeddedNeo4jError(
                f"port {self.port} on 127.0.0.1 is already in use by another process: set "
                "KG_BOLT_PORT to a free port (or stop that process) and try again"
            )
        self.neo4j_home.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.log_file.touch(mode=0o600)
        with self.log_file.open("ab") as log:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            log.write(f"{stamp} kg: starting {' '.join(command)}\n".encode())
            log.flush()
            offset = log.tell()
            try:
                process = subprocess.Popen(
                    command,
                    cwd=self.neo4j_home,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    close_fds=True,
                    umask=JVM_UMASK,
                )
            except OSError as e:
                raise EmbeddedNeo4jError(f"could not run java: {e}") from e
        self._process = process
        tmp = self.pid_file.with_name(self.pid_file.name + ".tmp")
        tmp.touch(mode=0o600)
        tmp.write_text(f"{process.pid} {self.port}\n", encoding="ascii")
        tmp.replace(self.pid_file)

        while True:
            if process.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise EmbeddedNeo4jError(
                    f"the embedded Neo4j exited with code {process.returncode} while starting; "
                    f"last lines of {self.log_file}:\n{_tail(self.log_file, offset=offset)}"
                )
            if self._ready_since(offset) and _bolt_answers(self.port):
                make_private(self.home)  # what Neo4j wrote before the umask mattered, if any
                return
            if time.monotonic() > deadline:
                try:
                    self._terminate(process.pid, 60)
                finally:
                    self.pid_file.unlink(missing_ok=True)
                raise EmbeddedNeo4jError(
                    f"the embedded Neo4j did not answer on {self.uri} in time (it was stopped); "
                    f"last lines of {self.log_file}:\n{_tail(self.log_file, offset=offset)}"
                )
            time.sleep(0.2)

    def _ready_since(self, offset: int) -> bool:
        try:
            with self.log_file.open("rb") as f:
                f.seek(offset)
                return READY_MARK.encode() in f.read()
        except OSError:
            return False

    def _wait_for_bolt(self, deadline: float) -> bool:
        """For a JVM already running (maybe still starting, from another ``kg`` process):
        True once Bolt answers, False if the JVM is gone."""
        while not _bolt_answers(self.port):
            if not self.is_running():
                return False
            if time.monotonic() > deadline:
                raise EmbeddedNeo4jError(
                    f"the embedded Neo4j (pid {self.pid()}) runs but does not answer on "
                    f"{self.uri}; see {self.log_file}, or run `kg db stop` and `kg db start`"
                )
            time.sleep(0.2)
        return True

    # -- stop ------------------------------------------------------------------------------

    def stop(self, timeout: float = 120) -> None:
        """Stop the embedded Neo4j cleanly (SIGTERM) and wait for its exit; no-op if stopped."""
        with _locked(self._lock_file):
            pid = self.pid()
            if pid is not None:
                self._terminate(pid, timeout)
            self.pid_file.unlink(missing_ok=True)
            # A JVM this object started and another process stopped (a batch import, kg db
            # stop) is a child that exited: reap it.
            if self._process is not None and self._process.poll() is not None:
                self._process = None

    def _terminate(self, pid: int, timeout: float) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        except PermissionError as e:
            raise EmbeddedNeo4jError(f"not allowed to stop the embedded Neo4j (pid {pid})") from e
        deadline = time.monotonic() + timeout
        while self._is_ours(pid):
            if time.monotonic() > deadline:
                raise EmbeddedNeo4jError(
                    f"the embedded Neo4j (pid {pid}) did not stop within {timeout:.0f} s; see "
                    f"{self.log_file}. Killing it (kill -9 {pid}) is safe but the next start "
                    "will run recovery."
                )
            time.sleep(0.1)
        if self._process is not None and self._process.pid == pid:
            self._process.wait()
            self._process = None
