"""Turn Japanese local-government meeting materials into structured tables."""

from .text.compiled import install as install_compiled_patterns
from .text.native import install as install_native_modules

__version__ = "0.1.0"

install_native_modules()  # the parse stage compiled by `make native`, where built from the source as it is
install_compiled_patterns()  # the package's patterns, compiled once by `make bytecode`
