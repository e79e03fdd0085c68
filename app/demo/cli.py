"""``flask demo``: placeholder replaced by the generator."""

import click


@click.command("demo")
def demo_command() -> None:
    """Generate demo data."""
