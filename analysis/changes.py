"""What changed between two versions of the report, number by number.

A version's state is its record: ``record/numbers.json`` (every named number as
printed) and ``record/verdicts.json`` (every printed number's verification
status, every audit verdict and every erratum's reading), both written by
``make execute``. Two versions are two git revisions or two release folders
(``dist/<version>/``, which ship the record). :func:`compare` lists every
change; ``python -m analysis diff OLD NEW`` prints one line per change with
where it is shown and the commits that touched its inputs, and the report's
"What changed" appendix compares the build with the previous release.

A release is a commit that sets a new version in ``pyproject.toml`` and dates
that version's section of ``CHANGELOG.md`` (``## 1.0.0 - 2026-12-02``); releases
are found from the history of ``pyproject.toml``, never from tags.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .paths import PROJECT_ROOT, RECORD_DIR

VERDICTS = RECORD_DIR / "verdicts.json"
#: The kinds of change, in the order they are listed.
KINDS = ("number", "verification", "audit", "erratum")


class BadInput(ValueError):
    """A revision or folder that is not a version of the report."""


@dataclass(frozen=True)
class Snapshot:
    """One version's record: numbers as printed, and verdicts by kind."""

    label: str
    commit: str | None
    numbers: dict[str, str]
    verdicts: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    kind: str  # number, verification, audit or erratum
    name: str
    old: str | None  # None: not in the old version
    new: str | None  # None: not in the new version
    shown: tuple[str, ...] = ()
    commits: tuple[str, ...] = ()

    def line(self) -> str:
        where = f" (shown in {', '.join(self.shown)})" if self.shown else ""
        why = "; ".join(self.commits)
        return (f"{self.kind} {self.name}: {_text(self.old)} -> {_text(self.new)}{where}"
                + (f"; commits: {why}" if why else ""))


def _text(value: str | None) -> str:
    return "(none)" if value is None else value


def verdicts(verified, checks, errata) -> dict[str, dict[str, str]]:
    """The verdicts of a version: verification status per printed number, audit verdict per check
    and subject, and each erratum's reading."""
    return {"verification": {str(r["id"]): str(r["status"]) for _, r in verified.iterrows()},
            "audit": {f"{r['check']} | {r['subject']}": str(r["verdict"]) for _, r in checks.iterrows()},
            "errata": {str(r["id"]): str(r["reading"]) for _, r in errata.iterrows()}}


def write_verdicts(found: dict[str, dict[str, str]], path: Path = VERDICTS) -> None:
    path.write_text(json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def _git(*args: str, repo: Path = PROJECT_ROOT) -> str | None:
    try:
        run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return run.stdout


def _numbers(raw: str) -> dict[str, str]:
    return {key: entry["text"] for key, entry in json.loads(raw).items()}


def at_revision(revision: str, repo: Path = PROJECT_ROOT) -> Snapshot:
    commit = _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", repo=repo)
    if not commit:
        raise BadInput(f"{revision!r} is neither a git revision of {repo} nor a release folder")
    commit = commit.strip()
    numbers = _git("show", f"{commit}:record/numbers.json", repo=repo)
    if numbers is None:
        raise BadInput(f"revision {revision!r} has no record/numbers.json")
    found = _git("show", f"{commit}:record/verdicts.json", repo=repo)
    return Snapshot(revision, commit, _numbers(numbers), json.loads(found) if found else {})


def at_folder(folder: Path) -> Snapshot:
    numbers = folder / "record" / "numbers.json"
    if not numbers.is_file():
        raise BadInput(f"{folder} is not a release folder: it has no record/numbers.json")
    found = folder / "record" / "verdicts.json"
    info = folder / "build-info.json"
    commit = json.loads(info.read_text(encoding="utf-8")).get("commit") if info.is_file() else None
    return Snapshot(str(folder), commit.split("+")[0] if commit else None, _numbers(numbers.read_text(encoding="utf-8")),
                    json.loads(found.read_text(encoding="utf-8")) if found.is_file() else {})


def load(spec: str, repo: Path = PROJECT_ROOT) -> Snapshot:
    """A version named by a release folder or a git revision."""
    return at_folder(Path(spec)) if Path(spec).is_dir() else at_revision(spec, repo)


def compare(old: Snapshot, new: Snapshot, shown: dict[str, tuple[str, ...]] | None = None,
            inputs: Callable[[str], list[str]] | None = None, repo: Path = PROJECT_ROOT) -> list[Change]:
    """Every number, verdict and erratum that differs between two versions. ``shown``: the chapters
    showing each number; ``inputs``: the files a number is computed from, for the commits between
    the two versions that touched them (the data and ``analysis/`` without it)."""
    shown = shown or {}
    inputs = inputs or (lambda name: ["data", "analysis"])
    out = []
    for kind, before, after in [("number", old.numbers, new.numbers)] + [
            (kind, old.verdicts.get(group, {}), new.verdicts.get(group, {}))
            for kind, group in (("verification", "verification"), ("audit", "audit"), ("erratum", "errata"))]:
        for name in sorted(set(before) | set(after)):
            if before.get(name) != after.get(name):
                commits = ()
                if kind == "number" and old.commit and new.commit:
                    commits = tuple(commits_touching(old.commit, new.commit, inputs(name), repo))
                out.append(Change(kind, name, before.get(name), after.get(name), shown.get(name, ()), commits))
    return out


def commits_touching(old: str, new: str, paths: list[str], repo: Path = PROJECT_ROOT) -> list[str]:
    """``<hash> <subject>`` of each commit after ``old`` up to ``new`` that touched ``paths``."""
    found = _git("log", "--format=%h %s", f"{old}..{new}", "--", *paths, repo=repo)
    return [line[:100] for line in (found or "").splitlines()]


# --- releases ---------------------------------------------------------------------

def _version_at(commit: str, repo: Path) -> str | None:
    raw = _git("show", f"{commit}:pyproject.toml", repo=repo)
    try:
        return tomllib.loads(raw)["project"]["version"] if raw else None
    except (tomllib.TOMLDecodeError, KeyError):
        return None


def dated(changelog: str, version: str) -> str | None:
    """The date of a version's section in a changelog (``## 1.0.0 - 2026-12-02``), if it has one."""
    found = re.search(rf"^##\s+\[?{re.escape(version)}\]?\s+[-–—]\s+(\d{{4}}-\d{{2}}-\d{{2}})\s*$", changelog, re.M)
    return found.group(1) if found else None


def releases(repo: Path = PROJECT_ROOT) -> tuple[tuple[str, str, str], ...]:
    """(commit, version, date) of every release up to and including HEAD, oldest first."""
    head = (_git("rev-parse", "HEAD", repo=repo) or "").strip()
    return _releases(repo, head) if head else ()


@lru_cache(maxsize=8)
def _releases(repo: Path, head: str) -> tuple[tuple[str, str, str], ...]:
    # only the commits that change pyproject.toml's version line
    log = _git("log", "--format=%H %P", "-Gversion *= *\"", head, "--", "pyproject.toml", repo=repo)
    out = []
    for line in (log or "").splitlines():
        commit, *parents = line.split()
        version = _version_at(commit, repo)
        if version is None or (parents and _version_at(parents[0], repo) == version):
            continue
        date = dated(_git("show", f"{commit}:CHANGELOG.md", repo=repo) or "", version)
        if date:
            out.append((commit, version, date))
    return tuple(reversed(out))


def _head(repo: Path) -> str:
    return (_git("rev-parse", "HEAD", repo=repo) or "").strip()


def previous_release(repo: Path = PROJECT_ROOT) -> tuple[str, str, str] | None:
    """The latest release before the current one: in HEAD's history, but not HEAD itself when HEAD
    is a release. (Before a release is committed, HEAD is its parent: the same answer.)"""
    earlier = [r for r in releases(repo) if r[0] != _head(repo)]
    return earlier[-1] if earlier else None


def head_is_release(repo: Path = PROJECT_ROOT) -> bool:
    """Whether HEAD is the latest release's own commit (the one that set and dated its version)."""
    found = releases(repo)
    return bool(found) and found[-1][0] == _head(repo)


def is_release(repo: Path = PROJECT_ROOT) -> bool:
    """Whether the work tree is a release: its changelog dates its version (so that the record made
    just before the release is committed says what the release commit says)."""
    try:
        version = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
        return dated((repo / "CHANGELOG.md").read_text(encoding="utf-8"), version) is not None
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return False


def since_previous_release(current: Snapshot, shown: dict | None = None, inputs: Callable | None = None,
                           repo: Path = PROJECT_ROOT) -> tuple[tuple[str, str, str] | None, list[Change]]:
    """The previous release and every change from it to ``current`` (none without a previous release)."""
    previous = previous_release(repo)
    if previous is None:
        return None, []
    old = at_revision(previous[0], repo)
    return previous, compare(old, replace(current, commit=_head(repo) or None), shown, inputs, repo)


def summary(previous: tuple[str, str, str] | None, found: list[Change], release: bool) -> str:
    """What the "What changed" appendix says above its table."""
    if previous is None:
        return ("This is the first release of the report: there is no earlier version to compare it with."
                if release else "No version of the report has been released yet: there is nothing to compare with.")
    commit, version, date = previous
    numbers = [c for c in found if c.kind == "number"]
    other = len(found) - len(numbers)
    head = f"Compared with version {version} (released {date}, commit {commit[:12]}): "
    if not found:
        return head + "no number, verdict or erratum changed."
    said = f"{len(numbers)} named {'number' if len(numbers) == 1 else 'numbers'} changed" if numbers else \
        "no number changed"
    return head + said + (f", and {other} {'verdict or erratum' if other == 1 else 'verdicts or errata'}" if other else "") \
        + "; each is listed below with both values."


def release_marker(repo: Path = PROJECT_ROOT) -> str:
    """What the "What changed" appendix depends on beyond the data: the previous release, and
    whether this commit is a release (part of the results' input hash)."""
    previous = previous_release(repo)
    return f"previous release {previous[0] if previous else 'none'}; release {is_release(repo)}"
