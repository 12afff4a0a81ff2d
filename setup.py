"""Package discovery; every other setting is in pyproject.toml.

pyproject.toml alone cannot both discover ``zsextract.*`` and install the top-level
``prompts/`` folder as ``zsextract.prompts``, so the package list is computed here:
every folder under ``zsextract/`` and ``prompts/`` is found, never listed by hand
(folders that hold only data, such as ``zsextract/data``, count as packages too).
"""

from setuptools import find_namespace_packages, setup

NOT_PACKAGES = ["*__pycache__", "*.egg-info"]

setup(
    packages=[
        *find_namespace_packages(include=["zsextract", "zsextract.*"], exclude=NOT_PACKAGES),
        "zsextract.prompts",
        *(
            f"zsextract.prompts.{name}"
            for name in find_namespace_packages(where="prompts", exclude=NOT_PACKAGES)
        ),
    ],
    package_dir={"zsextract.prompts": "prompts"},
)
