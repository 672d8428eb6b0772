"""``peelcheck plan-sample``: how many records to audit for a rate known to within a margin."""

from __future__ import annotations

import click

from peelcheck.assess.stats import sample_size


@click.command("plan-sample")
@click.option("--expected", type=click.FloatRange(0, 1, min_open=True, max_open=True), required=True,
              help="The compliance rate you expect (0.9 for 90%); 0.5 if you have no idea (the largest sample).")
@click.option("--margin", type=click.FloatRange(0, 1, min_open=True, max_open=True), required=True,
              help="The ± you can accept, as a fraction (0.05 for ± 5 points).")
@click.option("--population", type=click.IntRange(min=1), default=None,
              help="How many records the sample is drawn from (finite population correction).")
def plan_sample_command(expected: float, margin: float, population: int | None) -> None:
    """Print the audit sample size for a 95% interval of ± MARGIN around an EXPECTED rate."""
    size = sample_size(expected, margin, population)
    where = f" of {population:,}" if population is not None else ""
    click.echo(f"{size}")
    click.echo(f"audit {size:,} records{where} to know a rate near {expected * 100:g}% to within "
               f"± {margin * 100:g} points (95% confidence, Wilson/normal approximation)", err=True)
