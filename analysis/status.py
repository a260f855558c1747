"""The environment a build ran in (for the status appendix)."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from .tables import shown

#: Packages whose versions decide what the report computes and how it looks.
PACKAGES = ["ips-chronic-pain-report", "jupyter-book", "myst-nb", "sphinx", "sphinxcontrib-bibtex", "pandas",
            "numpy", "scipy", "matplotlib", "seaborn", "nbval", "pytest"]


def package_versions() -> pd.DataFrame:
    """Python and the installed version of each package the report depends on."""
    rows = [{"Package": "Python", "Version": platform.python_version()}]
    for name in PACKAGES:
        try:
            rows.append({"Package": name, "Version": version(name)})
        except PackageNotFoundError:
            rows.append({"Package": name, "Version": "not installed"})
    return shown(pd.DataFrame(rows).set_index("Package"))
