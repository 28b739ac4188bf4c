"""The one thing pyproject.toml cannot say: every package found under tinygrad_cn/ (so a new
subpackage ships without editing a list) plus the repository's tutorials/ folder, which stays the
source of truth and is carried in the wheel as the package ``tinygrad_cn.tutorials`` (found by
``python -m tinygrad_cn.tutorial`` after a non-editable install). Everything else is in
pyproject.toml."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["tinygrad_cn", "tinygrad_cn.*"]) + ["tinygrad_cn.tutorials"],
    package_dir={"tinygrad_cn.tutorials": "tutorials"},
)
