"""Run a build quietly: its whole output to a log file, a few lines of progress to the terminal.

``python -m reportbuild.buildlog --log FILE --label NAME -- COMMAND ...`` runs the
command (a ``jupyter-book build``) with its standard output and error going to
``FILE`` (ANSI colours removed), and prints only:

- one line when the build reaches a stage (reading the chapters, writing the
  pages, typesetting the PDF);
- one line per chapter executed, with its time;
- one line with the number of chapters taken from the jupyter cache;

and, if the command fails, the lines of the log that say why (Sphinx warnings
and errors, exceptions, TeX errors with their line), where the full log is, and
the command's exit status as its own.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import IO, Iterable

from analysis.paths import PROJECT_ROOT

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
EXECUTED = re.compile(r"^(?P<path>\S+?): Executed notebook in (?P<seconds>[\d.]+) seconds")
CACHED = re.compile(r"^\S+?: Using cached notebook")
#: Stages of a jupyter-book build: the first line of each in the log, and what to print.
STAGES = [
    (re.compile(r"^Executing \d+ chapters?"), "executing the chapters whose inputs changed (one kernel per core)"),
    (re.compile(r"^reading sources\.\.\."), "reading the chapters (executing those not in the cache)"),
    (re.compile(r"^(writing output\.\.\. ?\S|processing \S+\.tex)"), "writing"),
    (re.compile(r"^Converting book latex into PDF"), "typesetting the PDF (xelatex)"),
]
#: Lines that say why a build failed.
RELEVANT = re.compile(
    r"WARNING:|ERROR:|CRITICAL:|SEVERE:"             # Sphinx and docutils
    r"|^\s*(\w+\.)*\w*(Error|Exception|Exit)\b:?"   # a Python exception, as its traceback ends
    r"|^(Extension error|Exception occurred|Could not import)"
    r"|^Cell In\[\d+\], line \d+|^-+> \d+ "              # where in a chapter's cell
    r"|^! |^l\.\d+ "                                 # TeX: the error and its line
    r"|^Latexmk: (Errors|Missing)"
    r"|^Error:|^error:")
#: At most this many lines of a failure are printed (the log has them all).
MAX_LINES = 40
WIDTH = 400


def clean(line: str) -> str:
    return ANSI.sub("", line).rstrip("\r\n")


def relevant(lines: Iterable[str], limit: int = MAX_LINES) -> list[str]:
    """The lines of a failed build's log that say why it failed, each once, in order."""
    out: list[str] = []
    seen: set[str] = set()
    for line in lines:
        text = clean(line)
        if not text.strip() or not RELEVANT.search(text):
            continue
        text = text if len(text) <= WIDTH else text[:WIDTH] + " …"
        if text in seen:
            continue
        seen.add(text)
        out.append(text)
    if len(out) > limit:
        left = len(out) - limit
        out = out[:limit] + [f"… and {left} more such line{'s' if left > 1 else ''} in the log"]
    return out


def _short(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path


def run(command: list[str], log: Path, label: str, out: IO[str] = sys.stdout, append: bool = False) -> int:
    """Run ``command`` with its output in ``log``; print progress to ``out``; return its exit status."""
    log.parent.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    stages_seen: set[str] = set()
    cached = 0

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    with log.open("a" if append else "w", encoding="utf-8") as handle:
        handle.write("$ " + " ".join(command) + "\n")
        handle.flush()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                   stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace")
        assert process.stdout is not None
        for raw in process.stdout:
            line = clean(raw)
            handle.write(line + "\n")
            handle.flush()
            for pattern, stage in STAGES:
                if stage not in stages_seen and pattern.search(line):
                    stages_seen.add(stage)
                    if stage.startswith("writing") and cached:
                        say(f"  {cached} chapter{'s' if cached > 1 else ''} from the cache")
                        cached = -1
                    say(f"{label}: {stage}")
            executed = EXECUTED.search(line)
            if executed:
                say(f"  executed {_short(executed['path'])} in {float(executed['seconds']):.1f} s")
            elif CACHED.search(line) and cached >= 0:
                cached += 1
        status = process.wait()
    if status != 0:
        with log.open(encoding="utf-8") as handle:
            lines = relevant(handle)
        say(f"{label}: FAILED (exit status {status}). What went wrong:")
        for text in lines or ["(no error line recognised: see the log)"]:
            say("  " + text)
        say(f"{label}: the full log is {log}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportbuild.buildlog", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--log", type=Path, required=True, help="the file for the command's whole output")
    parser.add_argument("--label", default="build", help="the word that starts each progress line")
    parser.add_argument("--append", action="store_true", help="add to the log instead of starting it again")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    return run(command, args.log, args.label, append=args.append)


if __name__ == "__main__":
    sys.exit(main())
