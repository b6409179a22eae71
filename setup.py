"""Packages: every folder of kgxl/ (found, so a new domain needs no edit here), plus the repository's
top-level schemas/ shipped inside the wheel as kgxl.schemas (kgxl.core.paths finds either)."""
from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["kgxl", "kgxl.*"]), "kgxl.schemas"], package_dir={"kgxl.schemas": "schemas"})
