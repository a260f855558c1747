"""The Debian packages the report needs (``system-packages.toml``): installed as root, else named.

Usage, with the system's Python (no virtual environment needed, standard library only)::

    python3.11 -m reportbuild.system ensure report test   # install what is missing, or name it (exit 2)
    python3.11 -m reportbuild.system missing report       # the missing packages, one per line
    python3.11 -m reportbuild.system apt-line report test # the apt-get line that installs the groups

``ensure`` as root installs the missing packages with apt-get; as any other user
it prints them with the ``apt-get install`` line and stops with exit status 2, so
that nothing is built half-way. A package counts as present when dpkg says it is
installed; on a system without dpkg (macOS), when every program it lists is on the
``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

LIST = Path(__file__).resolve().parent.parent / "system-packages.toml"
#: Groups that are installed by hand or are always there, never by ``ensure``.
NOT_INSTALLED = ("base", "debian")


def groups(path: Path = LIST) -> dict[str, dict[str, list[str]]]:
    """Every group of the list: package -> the programs of it that are called."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def packages(names: list[str], path: Path = LIST) -> list[str]:
    """The packages of the named groups, in the list's order."""
    found = groups(path)
    unknown = [name for name in names if name not in found]
    if unknown:
        raise SystemExit(f"error: no group {', '.join(unknown)} in {path.name} (groups: {', '.join(found)})")
    return [package for name in names for package in found[name]]


def programs(path: Path = LIST) -> dict[str, str]:
    """Every program named in the list -> its package."""
    return {program: package for group in groups(path).values() for package, names in group.items()
            for program in names}


def apt_line(names: list[str]) -> str:
    return "sudo apt-get install --no-install-recommends " + " ".join(packages(names))


def _installed_by_dpkg(wanted: list[str]) -> set[str]:
    run = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Abbrev}\n", *wanted],
                         capture_output=True, text=True)  # exit 1 when a package is unknown: it is missing
    return {line.split()[0] for line in run.stdout.splitlines() if line.split()[1:2] == ["ii"]}


def missing(names: list[str], path: Path = LIST) -> list[str]:
    """The packages of the named groups that are not installed."""
    wanted = packages(names, path)
    if shutil.which("dpkg-query"):
        present = _installed_by_dpkg(wanted)
        return [package for package in wanted if package not in present]
    listed = {package: progs for group in groups(path).values() for package, progs in group.items()}
    return [package for package in wanted if not all(shutil.which(p) for p in listed[package])]


def ensure(names: list[str]) -> int:
    """Install the groups' missing packages as root; otherwise name them and return 2."""
    refused = [name for name in names if name in NOT_INSTALLED]
    if refused:
        raise SystemExit(f"error: the group(s) {', '.join(refused)} are not installed by ensure")
    absent = missing(names)
    if not absent:
        return 0
    what = " ".join(absent)
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing the Debian packages {what} (system-packages.toml)", flush=True)
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *absent], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        still = missing(names)
        if still:
            print(f"error: still missing after apt-get: {' '.join(still)}", file=sys.stderr)
            return 2
        return 0
    print(f"missing Debian packages: {what}", file=sys.stderr)
    print(f"install them (system-packages.toml, group {', '.join(names)}) and run make again:", file=sys.stderr)
    print(f"  sudo apt-get install --no-install-recommends {what}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] not in ("ensure", "missing", "apt-line"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    command, names = args[0], args[1:]
    if command == "ensure":
        return ensure(names)
    if command == "missing":
        print("\n".join(missing(names)))
        return 0
    print(apt_line(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
