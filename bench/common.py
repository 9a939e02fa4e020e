"""What the benchmarks share: the generated dataset they run on, and a Neo4j of their own."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).parent / "kg"
OUT = ROOT / "bench" / "out"

__all__ = ["KG", "OUT", "ROOT", "generate", "private_home"]


def generate(scale: float, seed: int = 1) -> Path:
    """The Baoshan dataset at ``scale`` under bench/out/ (generated once, then reused)."""
    target = OUT / f"baoshan-s{scale:g}-seed{seed}"
    if not (target / "regions.csv").exists():
        subprocess.run(
            [str(KG), "generate", "--profile", "baoshan", "--scale", str(scale),
             "--seed", str(seed), "--out", str(target)],
            check=True,
        )  # fmt: skip
    return target


def private_home(prefix: str, port: int) -> tuple[Path, dict[str, str]]:
    """A temporary KG_HOME and the environment that points kg at it (embedded Neo4j on
    ``port``), so that a benchmark never touches the user's own graph."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    # KG_WARM=off: the warm-up after a load is not part of what the benchmarks time
    env = {**os.environ, "KG_HOME": str(home), "KG_BOLT_PORT": str(port), "KG_WARM": "off"}
    env.pop("NEO4J_URI", None)
    return home, env
