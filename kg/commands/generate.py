"""``kg generate``: write a synthetic dataset in the data contract."""

from __future__ import annotations

import time
from pathlib import Path

import click
from tqdm import tqdm

import generator

__all__ = ["generate"]


@click.command()
@click.option(
    "--profile",
    type=click.Choice(["baoshan"]),
    default="baoshan",
    show_default=True,
    help="Which synthetic world to generate: baoshan = Baoshan city, Yunnan, 2014-2020, "
    "calibrated to the seed article's figures (docs/calibration.md).",
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Multiplies households, their members and helper pairings (and their enterprise "
    "links and relocations); divisions, organisations, sites, teams and posts stay fixed. "
    "Only scale 1 reproduces every figure of the seed.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed: the same seed and scale give byte-identical files.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
    required=True,
    help="Folder to write the 15 CSV files into (created if missing; files are replaced).",
)
def generate(profile: str, scale: float, seed: int, out: Path) -> None:
    """Generate a synthetic dataset (one UTF-8 CSV file per contract file) into OUT.

    Example: kg generate --profile baoshan --scale 0.1 --out out/baoshan
    """

    started = time.perf_counter()
    total = generator.estimate_rows(profile, scale)
    with tqdm(total=total, unit="row", unit_scale=True, desc=f"{profile} x{scale:g}") as bar:

        def progress(rows: int) -> None:
            if rows > bar.total:
                bar.total = rows
            bar.update(rows - bar.n)

        counts = generator.generate(out, profile=profile, scale=scale, seed=seed, progress=progress)
    seconds = time.perf_counter() - started
    width = max(len(name) for name in counts)
    for name, n in counts.items():
        click.echo(f"{name:<{width}}  {n:>10,}")
    click.echo(
        f"{sum(counts.values()):,} rows in {len(counts)} files written to {out} in {seconds:.1f} s"
    )
