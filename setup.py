"""The one thing pyproject.toml cannot say: every folder under tinygrad_cn/ (so a new subpackage,
or a data folder such as teach/fonts/, ships without editing a list) plus the repository's
tutorials/ folder, which stays the source of truth and is carried in the wheel as the package
``tinygrad_cn.tutorials`` (found by ``python -m tinygrad_cn.tutorial`` after a non-editable
install). Everything else is in pyproject.toml."""
from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["tinygrad_cn", "tinygrad_cn.*"], exclude=["*.__pycache__"])
    + ["tinygrad_cn.tutorials"],
    package_dir={"tinygrad_cn.tutorials": "tutorials"},
)
