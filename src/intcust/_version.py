"""The single place the version of intcust is set."""

__version__ = "0.1.0"
