"""Generate a synthetic cohort with the study's schema, to exercise the report at scale.

``python -m analysis.synthetic OUT --n 1000 --seed 2017`` writes a complete data
directory to OUT. Every value about participants is made up: the package is
flagged ``"synthetic": true``, its title says SYNTHETIC, and the report built
from it carries a banner on every page. It is never written into ``data/``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .paths import PROJECT_ROOT

#: Files copied unchanged: they describe instruments, literature and method, not participants.
COPIED = ["literature.csv", "references.bib", "ips_principles.csv", "pain_conditions.csv", "followups.csv",
          "coreq.csv", "qualitative/themes.csv", "qualitative/subthemes.csv", "qualitative/interview_guide.csv",
          "qualitative/quotes.csv", "qualitative/findings.csv"]


def _participants(rng, ids):
    sex = rng.choice(["female", "male", ""], size=len(ids), p=[0.45, 0.45, 0.10])
    dropped = rng.random(len(ids)) < 0.1
    return pd.DataFrame({"participant": ids, "sex": sex, "sex_evidence": "", "dropped_out": dropped,
                         "dropout_evidence": "", "note": "synthetic participant"})


def _clinical(rng, ids):
    n = len(ids)
    anxiety = np.clip(rng.normal(2.0, 0.6, n), 1, 4).round(1)
    depression = np.clip(rng.normal(2.2, 0.7, n), 1, 4).round(1)
    frame = pd.DataFrame({
        "participant": ids,
        "odi": np.clip(rng.normal(38, 18, n), 0, 100).round().astype(int),
        "pain_intensity": np.clip(rng.normal(6.8, 1.6, n), 0, 10).round().astype(int),
        "pain_bothersomeness": np.clip(rng.normal(7.3, 1.7, n), 0, 10).round().astype(int),
        "health_thermometer": np.clip(rng.normal(45, 20, n), 0, 100).round().astype(int),
        "hscl_total": ((10 * anxiety + 15 * depression) / 25).round(1),
        "hscl_anxiety": anxiety,
        "hscl_depression": depression,
    }).astype({"odi": "Int64", "health_thermometer": "Int64"})
    for column in ("odi", "health_thermometer"):  # some values missing, as in the study
        frame.loc[rng.random(n) < 0.03, column] = pd.NA
    return frame


def _timeline(rng, ids):
    n = len(ids)
    start = pd.Timestamp("2015-04-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D")
    months = np.where(rng.random(n) < 0.5, rng.uniform(0.5, 3, n), rng.uniform(6, 12, n))
    end = start + pd.to_timedelta((months * 30.4375).round(), unit="D")
    works = rng.random(n) < 0.4
    job = start + pd.to_timedelta(rng.uniform(2, 14, n) * 30.4375, unit="D").round("D")
    reported = (months * rng.uniform(0.8, 1.0, n)).round(1)
    return pd.DataFrame({
        "participant": ids, "ips_start": start.strftime("%Y-%m-%d"), "ips_end": end.strftime("%Y-%m-%d"),
        "job_start": pd.Series(job.strftime("%Y-%m-%d")).where(works, ""), "ips_months_reported": reported,
        "marked_asterisk": False, "extended_followup": months > 6,
    })


def _sample(clinical, participants, timeline, rng):
    n = len(clinical)
    extended = int(timeline["extended_followup"].sum())
    rows = {"invited": n, "declined": 0, "included": n, "men": int((participants["sex"] == "male").sum()),
            "women": int((participants["sex"] == "female").sum()), "age_min": 19, "age_max": 64,
            "pain_duration_min": 1, "pain_duration_max": 30, "out_of_work_min": 1, "out_of_work_max": 20,
            "dropouts": int(participants["dropped_out"].sum()), "interviewed": 8, "interview_minutes_min": 13,
            "interview_minutes_max": 33, "interview_minutes_mean": 22, "interview_minutes_sd": 9,
            "interview_timing": 3, "ips_planned_months": 3, "extended_followup_methods": extended,
            "extended_followup_additional_months": 9, "extended_followup_discussion": extended,
            "clinicians_only": n - extended, "analysts": 3, "holiday": 0}
    units = {"age_min": "years", "age_max": "years", "interview_minutes_min": "minutes"}
    return pd.DataFrame({"key": list(rows), "value": list(rows.values()),
                         "unit": [units.get(k, "synthetic") for k in rows], "printed": "synthetic",
                         "location": "synthetic cohort", "quote": "synthetic"})


def generate(out: Path, n: int = 1000, seed: int = 2017, source: Path | None = None) -> Path:
    """Write a synthetic data directory of ``n`` participants to ``out``."""
    source = source or PROJECT_ROOT / "data"
    out = out.resolve()
    if out == source.resolve() or source.resolve() in out.parents:
        raise SystemExit(f"error: refusing to write synthetic data into {source}; choose another folder")
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"error: {out} is not empty")
    rng = np.random.default_rng(seed)
    ids = [f"P{i}" for i in range(1, n + 1)]
    (out / "qualitative").mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copy2(source / name, out / name)
    participants, clinical, timeline = _participants(rng, ids), _clinical(rng, ids), _timeline(rng, ids)
    sample = _sample(clinical, participants, timeline, rng)
    lower = {True: "true", False: "false"}  # the schema's boolean spelling
    participants["dropped_out"] = participants["dropped_out"].map(lower)
    for column in ("marked_asterisk", "extended_followup"):
        timeline[column] = timeline[column].map(lower)
    participants.to_csv(out / "participants.csv", index=False)
    clinical.to_csv(out / "clinical.csv", index=False)
    timeline.to_csv(out / "ips_timeline.csv", index=False)
    sample.to_csv(out / "sample.csv", index=False)
    pd.DataFrame([{"id": "synthetic_n", "location": "synthetic cohort", "anchor": "p057", "printed": f"n = {n}",
                   "value": n, "date": "", "unit": "participants", "registry_key": "n_participants", "reading": "",
                   "note": "synthetic"}]
                 ).to_csv(out / "published_numbers.csv", index=False)
    for empty in ("errata", "readings"):  # no errata, so no readings of them either
        pd.read_csv(source / f"{empty}.csv", nrows=0).to_csv(out / f"{empty}.csv", index=False)
    package = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    package["name"] += "-synthetic"
    package["title"] = f"SYNTHETIC cohort of {n} made-up participants (seed {seed}); not the study's data"
    package["synthetic"] = True
    (out / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "README.md").write_text(f"# SYNTHETIC DATA\n\n{package['title']}. Generated by "
                                   f"`python -m analysis.synthetic` for testing the report at scale.\n",
                                   encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.synthetic", description=__doc__)
    parser.add_argument("out", help="an empty folder outside data/")
    parser.add_argument("--n", type=int, default=1000, help="participants (default 1000)")
    parser.add_argument("--seed", type=int, default=2017, help="random seed (default 2017)")
    args = parser.parse_args(argv)
    print(f"synthetic data written to {generate(Path(args.out), args.n, args.seed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
