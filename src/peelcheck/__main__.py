"""``python -m peelcheck``: the same command line as ``peelcheck``, for where the script is not on PATH."""

from peelcheck.cli.main import cli

cli(prog_name="peelcheck")
