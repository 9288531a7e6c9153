"""Build script of the compiled core (``pipeline/read/_pdfcore.c``); the rest of the package is described in pyproject.toml.

Input: the C source. Output: the extension module ``pipeline.read._pdfcore``, built by
``pip install .`` (and ``make install``'s editable install). Without it the PDFium engine and
the table finder run their pure-Python code, with the same records.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "pipeline.read._pdfcore",
            sources=["pipeline/read/_pdfcore.c"],
            # the same arithmetic as the Python code, operation for operation: no fused multiply-add
            extra_compile_args=["-O2", "-ffp-contract=off", "-std=c99"],
            # a machine without a C compiler still installs the package, and reads PDFs with the Python code
            optional=True,
        )
    ],
)
