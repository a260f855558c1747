"""reportbuild.certificate: codecheck.yml and verification.json of a release."""

import json

import yaml

from reportbuild import certificate

STAMP = {"version": "9.9.9", "commit": "abc1234", "build_date": "2026-01-02"}


def _release(tmp_path):
    release = tmp_path / "9.9.9"
    for path in ("html/book/index.html", "html/_images/fig.svg", "ips-report-9.9.9.pdf", "data/clinical.csv",
                 "record/index.ipynb", "SHA256SUMS"):
        (release / path).parent.mkdir(parents=True, exist_ok=True)
        (release / path).write_text(path, encoding="utf-8")
    certificate.write(release, STAMP, {"pandas": "2.0"})
    return release


def test_the_configuration_follows_codecheck_and_lists_every_file(tmp_path):
    release = _release(tmp_path)
    text = (release / "codecheck.yml").read_text(encoding="utf-8")
    assert text.startswith("---\n")  # CODECHECK requires the explicit document marker
    config = yaml.safe_load(text)
    files = [item["file"] for item in config["manifest"]]
    assert sorted(files) == ["SHA256SUMS", "data/clinical.csv", "html/_images/fig.svg", "html/book/index.html",
                             "ips-report-9.9.9.pdf", "record/index.ipynb", "verification.json"]
    assert all((release / f).is_file() and item["comment"] for f, item in zip(files, config["manifest"]))
    # the article: six authors, its DOI as a resolvable URL
    assert config["paper"]["reference"] == "https://doi.org/10.1186/s12891-017-1908-3"
    assert [a["name"] for a in config["paper"]["authors"]][0] == "L. Rødevand" and len(config["paper"]["authors"]) == 6
    assert config["codechecker"] and all(c["name"] for c in config["codechecker"])
    assert "9.9.9" in config["report"] and "abc1234" in config["report"]
    assert config["check_time"] == "2026-01-02" and config["version"].endswith("/2.0/")
    assert config["x-ips-report"]["registered"] is False


def test_verification_json_has_every_number_and_every_file(tmp_path):
    release = _release(tmp_path)
    record = json.loads((release / "verification.json").read_text(encoding="utf-8"))
    by_key = {n["key"]: n for n in record["numbers"]}
    # the Abstract's "3 of the 8": published 3, regenerated 3 from the dates, exact for a count
    abstract = by_key["abstract_employed_12m"]
    assert {k: abstract[k] for k in ("published", "regenerated", "tolerance", "verdict")} == {
        "published": 3.0, "regenerated": 3.0, "tolerance": 0.5, "verdict": "reproduced"}
    # Table 2 prints P6's end as 17.04.2015: a date, compared as a date
    assert by_key["table2_P6_ips_end"]["published"] == "2015-04-17" and by_key["table2_P6_ips_end"]["tolerance"] is None
    assert set(record["files"]) == {"SHA256SUMS", "data/clinical.csv", "html/_images/fig.svg", "html/book/index.html",
                                    "ips-report-9.9.9.pdf", "record/index.ipynb"}
    assert len(record["lock_file"]["sha256"]) == 64 and record["commit"] == "abc1234"
    assert record["nbval"] == {"run": False} or "passed" in record["nbval"]
