"""The version of zsextract: the one source, read by setuptools when building
(pyproject.toml: ``[tool.setuptools.dynamic]``), by ``zsextract --version`` and as
``zsextract.__version__``."""

__version__ = "0.1.0"
