"""Fuzzing the loader: a damaged file either loads or is refused with a message naming it.

Each case mutates the bytes of one file of a copy of the data package (the
descriptor or one CSV file) with a seeded mutator: bits flipped, bytes replaced,
inserted (commas, quotes, line breaks, NUL, invalid UTF-8, byte-order marks,
JSON punctuation, digits) or deleted, the file cut short, lines deleted,
duplicated or swapped, digits changed, line endings turned into CRLF. The case
then loads everything that reads the damaged file: the resource itself and
every resource whose foreign keys or rules refer to it, and all of them when
the descriptor is damaged. Either that loads, or one DataValidationError names
the damaged file; any other exception fails the test. Cases are reproducible
from the file and the seed.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.data import DATASETS, RULE_READS, load, load_all
from analysis.validation import DataValidationError, key_fields
from conftest import DATA

DESCRIPTOR = "datapackage.json"
PACKAGE = json.loads((DATA / DESCRIPTOR).read_text(encoding="utf-8"))
PATHS = {r["name"]: r["path"] for r in PACKAGE["resources"]}
FILES = [DESCRIPTOR] + list(PATHS.values())
#: Cases per file: 16 CSV files x 16 and the descriptor 64, 320 in all.
CASES = {file: 64 if file == DESCRIPTOR else 16 for file in FILES}
SEED = 20171219

TOKENS = [b",", b'"', b'""', b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xc3", b"\xe9", b"\xef\xbb\xbf", b"\xed\xa0\x80",
          b"{", b"}", b"[", b"]", b":", b"\\", b"-", b".", b" ", b"0", b"9", b"1e5", b"true", b"null", b"P9", b";"]
#: Bytes worth aiming at: CSV and JSON punctuation and digits.
SYNTAX = set(b',"\n:{}[]0123456789')


def _referrers() -> dict[str, set[str]]:
    """For each resource, the resources whose load reads it (foreign keys and rules), transitively."""
    direct: dict[str, set[str]] = {name: set() for name in PATHS}
    for res in PACKAGE["resources"]:
        for key in res["schema"].get("foreignKeys", []):
            direct[key["reference"]["resource"] or res["name"]].add(res["name"])
    for name, reads in RULE_READS.items():
        for target in reads:
            direct[target].add(name)
    closure = {}
    for name in PATHS:
        seen, todo = {name}, [name]
        while todo:
            for other in direct[todo.pop()] - seen:
                seen.add(other)
                todo.append(other)
        closure[name] = seen
    return closure


READERS = _referrers()


def _position(data: bytes, rng: random.Random) -> int:
    if not data:
        return 0
    aimed = [i for i, byte in enumerate(data) if byte in SYNTAX]
    if aimed and rng.random() < 0.5:
        return rng.choice(aimed)
    return rng.randrange(len(data))


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """``data`` with one to three random mutations, and what they were."""
    done = []
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["flip", "replace", "insert", "insert", "delete", "truncate", "duplicate line",
                         "delete line", "swap lines", "digit", "digit", "crlf"])
        at = _position(data, rng)
        if op == "flip" and data:
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
        elif op == "replace" and data:
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
        elif op == "insert":
            token = rng.choice(TOKENS)
            data = data[:at] + token + data[at:]
            op = f"insert {token!r}"
        elif op == "delete":
            data = data[:at] + data[at + rng.randint(1, 8):]
        elif op == "truncate":
            data = data[:at]
        elif op in ("duplicate line", "delete line", "swap lines"):
            lines = _lines(data)
            if len(lines) > 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                if op == "duplicate line":
                    lines.insert(j, lines[i])
                elif op == "delete line":
                    del lines[i]
                else:
                    lines[i], lines[j] = lines[j], lines[i]
                data = b"".join(lines)
        elif op == "digit":
            digits = [i for i, byte in enumerate(data) if 48 <= byte <= 57]
            if digits:
                at = rng.choice(digits)
                data = data[:at] + str(rng.randrange(10)).encode() + data[at + 1:]
        elif op == "crlf":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        done.append(f"{op} at {at}")
    return data, done


JSON_VALUES = [None, True, False, 0, -1, 1.5, 1e400, "", "x", "string", "integer", "number", "date", "boolean", "%Y",
               "P[0-9", "../x.csv", "participants", "participant", [], {}, [""], ["participant"], {"resource": ""}]


def _nodes(value, path=()):
    """Every (container path, key) in a JSON value."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        yield path, key
        yield from _nodes(child, path + (key,))


def mutate_json(data: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """The descriptor with one to three of its members deleted, replaced, duplicated or renamed."""
    package = json.loads(data)
    done = []
    for _ in range(rng.randint(1, 3)):
        path, key = rng.choice(list(_nodes(package)))
        parent = package
        for step in path:
            parent = parent[step]
        op = rng.choice(["delete", "replace", "replace", "duplicate", "rename"])
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = rng.choice(JSON_VALUES)
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))
        elif op == "rename" and isinstance(parent, dict):
            parent[key + rng.choice(["_", "s", ""])] = parent.pop(key)
        done.append(f"{op} {'/'.join(map(str, path + (key,)))}")
    return json.dumps(package, indent=2).encode("utf-8"), done


@dataclass
class Case:
    file: str
    seed: int
    mutations: list[str]
    error: DataValidationError | None  # None: the damaged package loaded


def cases(file: str, work: Path):
    """Run every case for ``file`` in ``work`` (a copy of the data package); yields each, damaged file in place.

    The file is restored after each case.
    """
    path = work / file
    original = path.read_bytes()
    for index in range(CASES[file]):
        seed = SEED + 1000 * FILES.index(file) + index
        rng = random.Random(seed)
        # Bytes of the descriptor mostly break its JSON syntax; half its cases damage its structure instead.
        damaged, mutations = (mutate_json if file == DESCRIPTOR and index % 2 else mutate)(original, rng)
        path.write_bytes(damaged)
        try:
            try:
                if file == DESCRIPTOR:
                    load_all(work)
                else:
                    name = next(n for n, p in PATHS.items() if p == file)
                    for reader in sorted(READERS[name], key=DATASETS.index):
                        load(reader, work)
            except DataValidationError as error:
                yield Case(file, seed, mutations, error)
            else:
                yield Case(file, seed, mutations, None)
        finally:
            path.write_bytes(original)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.mark.parametrize("file", FILES)
def test_damaged_file_loads_or_is_named(work, file):
    outcomes = {"loaded": 0, "refused": 0}
    for case in cases(file, work):  # anything but DataValidationError propagates and fails the test
        if case.error is None:
            outcomes["loaded"] += 1
            continue
        outcomes["refused"] += 1
        message = str(case.error)
        where = (file,) if file != DESCRIPTOR else (DESCRIPTOR, *PATHS.values())
        assert message.startswith("invalid data: "), (case.seed, case.mutations, message)
        assert any(name in message for name in where), (case.seed, case.mutations, message)
        assert all(str(fault).startswith(str(work)) for fault in case.error.faults), (case.seed, message)
    # A mutator that never breaks anything, or breaks everything, tests little.
    assert outcomes["refused"] > 0, outcomes


def test_readers_follow_foreign_keys_and_rules():
    # participants.csv is read by clinical and ips_timeline and quotes (foreign
    # keys) and by findings (its rule); errata.csv by the timeline's rule and by
    # published_numbers (the erratum a comparison rests on, a foreign key).
    assert READERS["participants"] == {"participants", "clinical", "ips_timeline", "quotes", "findings"}
    assert READERS["errata"] == {"errata", "ips_timeline", "published_numbers", "readings"}
    assert READERS["themes"] == {"themes", "subthemes", "quotes"}
    assert all(key_fields(k["fields"]) for r in PACKAGE["resources"] for k in r["schema"].get("foreignKeys", []))


def test_mutator_is_seeded():
    data = (DATA / "clinical.csv").read_bytes()
    assert mutate(data, random.Random(1)) == mutate(data, random.Random(1))
    assert mutate(data, random.Random(1)) != mutate(data, random.Random(2))
