"""Turn Japanese local-government meeting materials into structured tables."""

__version__ = "0.1.0"
