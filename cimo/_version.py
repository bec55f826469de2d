"""The version of cimo."""

__version__ = "0.1.0"
