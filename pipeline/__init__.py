"""Turn Japanese local-government meeting materials into structured tables."""

from .text.compiled import install as install_compiled_patterns

__version__ = "0.1.0"

install_compiled_patterns()  # the package's patterns, compiled once by `make bytecode`
