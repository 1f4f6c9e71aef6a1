"""docgen-py: generate a typed Python package from API reference docs written in markdown."""

__all__ = ["__version__"]

__version__ = "0.1.0"
