"""Packaging beyond pyproject.toml: the repository keeps ``ui/`` and ``resources/`` as top-level
folders; an installed package carries them as ``gnbv_desktop/ui`` and ``gnbv_desktop/resources``
(gnbv_desktop.paths looks there first), so ``pip install .`` gives a working app.

Every folder below them is declared as a data package, which is what setuptools expects for
files that travel inside a package (it warns otherwise).
"""

from pathlib import Path

from setuptools import find_packages, setup

SHIPPED = {"gnbv_desktop.resources": "resources", "gnbv_desktop.ui": "ui"}


def data_packages() -> list[str]:
    names = []
    for package, folder in SHIPPED.items():
        for sub in sorted(p for p in [Path(folder), *Path(folder).rglob("*")] if p.is_dir() and p.name != "__pycache__"):
            names.append(".".join([package, *sub.relative_to(folder).parts]))
    return names


PACKAGES = data_packages()

setup(
    packages=[*find_packages(include=["gnbv_desktop", "gnbv_desktop.*"]), *PACKAGES],
    package_dir=SHIPPED,
    package_data={name: ["*"] for name in PACKAGES},
)
