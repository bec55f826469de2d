"""Run the ``cimo`` command with ``python -m cimo``."""

from cimo.cli import main

main()
