"""The deployment files: docker-compose.yml, Dockerfile and .dockerignore, without a Docker engine.

``docker-compose config`` (v1.29, installed by ``make compose-tool``) validates and resolves the
compose file offline. Its YAML output is turned into JSON by the interpreter that runs
docker-compose (which has PyYAML, since docker-compose needs it), so kg needs no YAML library.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
GIB = 1024**3

YAML_TO_JSON = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"


def compose_cli() -> str:
    path = shutil.which("docker-compose")
    if path is None:
        pytest.fail(
            "docker-compose is not installed: run `make compose-tool` (part of `make test`)"
        )
    return path


def run_config(
    password: str | None, tmp_path: Path, profile: str = "tools"
) -> subprocess.CompletedProcess[str]:
    """``docker-compose config`` of the project's file with ``profile``, isolated from the
    caller's settings."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "COMPOSE_", "DOCKER_"))
    }
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    return subprocess.run(
        [
            compose_cli(),
            "--env-file",
            str(empty_env_file),
            "--profile",
            profile,
            "-f",
            str(COMPOSE_FILE),
            "config",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def yaml_to_data(text: str) -> Any:
    """Parse YAML with the Python that runs docker-compose (it ships PyYAML)."""
    cli = Path(compose_cli())
    first_line = cli.read_bytes().split(b"\n", 1)[0].decode(errors="replace")
    if not first_line.startswith("#!") or "python" not in first_line:
        pytest.fail(f"{cli} is not the Python docker-compose 1.x that `make compose-tool` installs")
    interpreter = first_line[2:].split()
    done = subprocess.run(
        [*interpreter, "-c", YAML_TO_JSON],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def password() -> str:
    return "kg-test-" + secrets.token_hex(12)


@pytest.fixture(scope="module")
def resolved(password: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    done = run_config(password, tmp_path_factory.mktemp("compose"))
    assert done.returncode == 0, f"docker-compose config failed:\n{done.stderr}"
    config = yaml_to_data(done.stdout)
    assert isinstance(config, dict)
    return config


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the KEY=VALUE list form
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def size_in_bytes(text: str) -> int:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?", text.strip().lower())
    assert m, f"not a memory size: {text!r}"
    return int(float(m.group(1)) * 1024 ** " kmgt".index(m.group(2) or " "))


def _target(volume: str | dict[str, Any]) -> str:
    return volume.split(":")[1] if isinstance(volume, str) else str(volume["target"])


def _source(volume: str | dict[str, Any]) -> str:
    return volume.split(":")[0] if isinstance(volume, str) else str(volume["source"])


def test_config_resolves(resolved: dict[str, Any]) -> None:
    assert {"neo4j", "api", "loader"} <= set(resolved["services"])


def test_replicas_profile_adds_two_api_replicas(
    password: str, tmp_path: Path, resolved: dict[str, Any]
) -> None:
    done = run_config(password, tmp_path, profile="replicas")
    assert done.returncode == 0, f"docker-compose config failed:\n{done.stderr}"
    services = yaml_to_data(done.stdout)["services"]
    replicas = {name: s for name, s in services.items() if name.startswith("api-replica-")}
    assert set(replicas) == {"api-replica-1", "api-replica-2"}
    api = resolved["services"]["api"]
    hosts = set()
    for name, replica in replicas.items():
        assert replica["profiles"] == ["replicas"], name  # not started without the profile
        # the same image, the same Neo4j (and so the same result store) and the same tokens
        assert replica["build"] == api["build"] and environment(replica) == environment(api)
        assert {_target(v): _source(v) for v in replica["volumes"]}["/data"] == "kg-home"
        assert replica["depends_on"]["neo4j"]["condition"] == "service_healthy"
        # serves like api, without a warm-up of its own: api and kg load fill the store
        assert replica["command"] == [*api["command"], "--no-warm"], name
        [port] = replica["ports"]
        if isinstance(port, dict):
            hosts.add((port.get("host_ip"), str(port["published"]), str(port["target"])))
        else:
            host_ip, published, target = str(port).split("/")[0].split(":")
            hosts.add((host_ip, published, target))
    assert hosts == {("127.0.0.1", "5001", "5000"), ("127.0.0.1", "5002", "5000")}


def test_neo4j_image_auth_and_usage_report(resolved: dict[str, Any], password: str) -> None:
    neo4j = resolved["services"]["neo4j"]
    env = environment(neo4j)

    assert neo4j["image"] == "neo4j:5.26-community"
    assert env["NEO4J_AUTH"] == f"neo4j/{password}"
    assert env["NEO4J_dbms_usage__report_enabled"] == "false"
    # The image's entrypoint would write it into neo4j.conf as a setting named PASSWORD.
    assert "NEO4J_PASSWORD" not in env
    assert neo4j.get("restart") in {"always", "unless-stopped"}


def test_neo4j_healthcheck_runs_cypher_shell_without_the_password(
    resolved: dict[str, Any], password: str
) -> None:
    check = resolved["services"]["neo4j"]["healthcheck"]
    test = check["test"]
    command = test if isinstance(test, str) else " ".join(test)

    assert isinstance(test, list) and test[0] == "CMD-SHELL"
    assert "cypher-shell" in command
    assert "RETURN 1" in command
    assert re.search(r'-p "\$+NEO4J_PASSWORD"', command), command
    # `$$` escaping: the password is read in the container, not interpolated into the config.
    assert password not in command
    assert int(check.get("retries", 3)) >= 3


def test_api_and_loader_wait_for_a_healthy_neo4j(resolved: dict[str, Any]) -> None:
    for name in ("api", "loader"):
        depends_on = resolved["services"][name]["depends_on"]
        assert depends_on["neo4j"]["condition"] == "service_healthy", name


def test_published_ports_listen_on_localhost_only(resolved: dict[str, Any]) -> None:
    published: dict[str, set[str]] = {}
    for name, service in resolved["services"].items():
        for port in service.get("ports", []):
            if isinstance(port, dict):  # the long form (docker compose v2)
                host_ip, target = port.get("host_ip", ""), str(port["target"])
            else:  # "127.0.0.1:5000:5000/tcp"
                parts = str(port).split("/")[0].split(":")
                host_ip = parts[0] if len(parts) == 3 else ""
                target = parts[-1]
            assert host_ip == "127.0.0.1", f"{name} publishes {port} beyond 127.0.0.1"
            published.setdefault(name, set()).add(target)

    assert "7687" in published["neo4j"]
    assert published["api"] == {"5000"}
    assert "loader" not in published


def test_neo4j_memory_fits_a_24_gib_host(resolved: dict[str, Any]) -> None:
    env = environment(resolved["services"]["neo4j"])
    heap_max = size_in_bytes(env["NEO4J_server_memory_heap_max__size"])
    heap_initial = size_in_bytes(env["NEO4J_server_memory_heap_initial__size"])
    pagecache = size_in_bytes(env["NEO4J_server_memory_pagecache_size"])

    assert heap_initial == heap_max  # no heap resizing pauses
    assert 2 * GIB <= heap_max <= 8 * GIB
    assert pagecache >= 4 * GIB
    # Leaves room on 24 GiB for JVM overhead, the OS, the api and a running `kg load`.
    assert heap_max + pagecache <= 18 * GIB


def test_neo4j_data_and_logs_on_named_volumes(resolved: dict[str, Any]) -> None:
    sources = {_target(v): _source(v) for v in resolved["services"]["neo4j"]["volumes"]}

    assert sources["/data"] in resolved["volumes"]
    assert sources["/logs"] in resolved["volumes"]


def test_app_services_use_the_server_by_bolt(resolved: dict[str, Any], password: str) -> None:
    for name in ("api", "loader"):
        service = resolved["services"][name]
        env = environment(service)
        assert env["NEO4J_URI"] == "bolt://neo4j:7687", name
        assert env["NEO4J_USERNAME"] == "neo4j", name
        assert env["NEO4J_PASSWORD"] == password, name
        assert env["NEO4J_DATABASE"] == "neo4j", name
        assert env["KG_HOME"] == "/data", name
        assert "build" in service, name
        assert any(_target(v) == "/data" for v in service["volumes"]), name

    api = resolved["services"]["api"]
    # behind the host's HTTPS proxy (docs/deploy.md): its forwarded headers are trusted
    assert api["command"] == [
        "kg",
        "serve",
        "--host",
        "0.0.0.0",
        "--port",
        "5000",
        "--behind-proxy",
    ]
    assert all(p.startswith("127.0.0.1:") for p in api["ports"])  # the proxy's way in only
    assert api.get("restart") in {"always", "unless-stopped", "on-failure"}


def test_loader_is_a_tools_profile_with_read_only_datasets(resolved: dict[str, Any]) -> None:
    loader = resolved["services"]["loader"]

    assert loader["profiles"] == ["tools"]
    assert loader["command"][:2] == ["kg", "load"]
    datasets = [v for v in loader["volumes"] if _target(v) == "/datasets"]
    assert len(datasets) == 1
    volume = datasets[0]
    if isinstance(volume, str):
        assert volume.split(":")[2] == "ro"
    else:
        assert volume.get("read_only") is True
    assert Path(_source(volume)) == ROOT / "datasets"


@pytest.mark.parametrize("value", [None, ""], ids=["unset", "empty"])
def test_config_fails_without_a_password(value: str | None, tmp_path: Path) -> None:
    done = run_config(value, tmp_path)

    assert done.returncode != 0
    assert "NEO4J_PASSWORD" in done.stderr


def test_no_password_literal_in_the_compose_file(password: str) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")

    assert password not in text
    auth = re.findall(r"NEO4J_AUTH\s*[:=]\s*(\S+)", text)
    assert auth and all(v.startswith("neo4j/${NEO4J_PASSWORD:?") for v in auth), auth
    assigned = re.findall(r"^\s*-?\s*NEO4J_PASSWORD\s*[:=]\s*(\S+)", text, flags=re.MULTILINE)
    assert assigned and all(v.startswith("${NEO4J_PASSWORD:?") for v in assigned), assigned


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_runs_as_a_non_root_user() -> None:
    instructions = dockerfile_instructions()
    users = [args for word, args in instructions if word == "USER"]

    assert users, "the Dockerfile sets no USER: the container would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    bases = [args.split()[0] for word, args in instructions if word == "FROM"]
    assert bases and set(bases) == {"python:3.11-slim"}, bases


def test_dockerfile_does_not_copy_the_virtualenv() -> None:
    copies = [args for word, args in dockerfile_instructions() if word in {"COPY", "ADD"}]
    ignored = {
        line.strip().strip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert copies
    for args in copies:
        sources = [a for a in args.split() if not a.startswith("--")][:-1]
        assert not any(".venv" in s for s in sources), args
        if any(s in {".", "./"} for s in sources):  # the whole context: .dockerignore filters it
            assert {".venv", ".kg", ".git", "graph/embedded/target"} <= ignored, ignored


def test_dockerfile_installs_without_dev_extras_or_java() -> None:
    instructions = dockerfile_instructions()
    runs = " ".join(args for word, args in instructions if word == "RUN")

    assert "pip install" in runs
    assert "[dev]" not in runs
    assert not re.search(r"\b(openjdk|default-jre|default-jdk|temurin|maven)\b", runs)
    assert "ENTRYPOINT" not in {word for word, _ in instructions}
    cmd = [args for word, args in instructions if word == "CMD"][-1]
    assert json.loads(cmd) == ["kg", "serve", "--host", "0.0.0.0", "--port", "5000"]
