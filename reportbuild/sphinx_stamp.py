"""Sphinx extension: put the version stamp on every page and on the PDF's title page.

Sets ``version``/``release``, ``today`` and ``copyright`` from
:mod:`reportbuild.version`, adds the stamp to the HTML footer, and offers the PDF
for download when ``make pdf`` has built it. Pages can use the MyST
substitutions ``{{ version }}``, ``{{ commit }}``, ``{{ build_date }}`` and
``{{ pdf_link }}``.
"""

from __future__ import annotations


import hashlib
import html
import json
import os
import zipfile
from pathlib import Path

from analysis.paths import PROJECT_ROOT, build_paths, data_dir
from .version import LICENCE, stamp, suggested_citation

#: Set by ``make release``: the site gets the version switcher, which reads SWITCHER_URL.
SWITCHER_ENV = "IPS_REPORT_SWITCHER"
SWITCHER_URL = "/switcher.json"
#: The data package's download: <name>-<version>.zip.
DATA_ARCHIVE = "ips-chronic-pain-data"

#: Where the PDF of the data in force is; the build sets IPS_REPORT_PDF_DIR
#: to the data directory's own build folder (reportbuild/build.py).
PDF_DIR_ENV = "IPS_REPORT_PDF_DIR"


def pdf_dir() -> Path:
    return Path(os.environ.get(PDF_DIR_ENV, build_paths().pdf_dir))


def _configure(app, config) -> None:
    s = stamp()
    config.version = s["version"]
    config.release = f"{s['version']} (commit {s['commit']})"
    config.today = s["build_date"]
    config.copyright = f"{s['year']}. Article: © 2017 the authors, CC BY 4.0"
    pdfs = [pdf_dir() / s[key] for key in ("pdf", "supplement_pdf")]
    has_pdf = all(p.is_file() for p in pdfs)
    archive = data_archive(s["version"])
    # relative to the project: no absolute path of the machine in the configuration's hash
    config.html_extra_path = list(config.html_extra_path) + [os.path.relpath(p, PROJECT_ROOT) for p in
                                                             [archive, *(pdfs if has_pdf else [])]]
    link = (f'the <a href="../{s["pdf"]}">PDF</a>, its <a href="../{s["supplement_pdf"]}">supplement</a> '
            f'(the appendices) and ' if has_pdf else "")
    link = f'Download {link}the <a href="../{archive.name}">data package</a> (zip). '
    options = dict(config.html_theme_options)
    # one search box: the sidebar's (the phone's is the header's icon); the theme's header bar holds only another
    options["navbar_persistent"] = []
    options["extra_footer"] = (f"<p>Version {s['version']}, commit <code>{s['commit']}</code>, "
                               f"built {s['build_date']}. {link}</p>")
    if os.environ.get(SWITCHER_ENV):
        # a release's site: the theme's version switcher, reading the list of releases that every
        # release's site shares (dist/switcher.json, with dist/ served as the web root)
        options["switcher"] = {"json_url": SWITCHER_URL, "version_match": s["version"]}
        options["check_switcher"] = False  # the list lies outside the book, beside the releases
        config.html_sidebars = {"**": ["navbar-logo.html", "version-switcher.html", "icon-links.html",
                                       "search-button-field.html", "sbt-sidebar-nav.html"]}
    config.html_theme_options = options
    pdf_text = ("The PDF of this version and its supplement are linked at the foot of every page." if has_pdf
                else "A PDF of this version is built with `make pdf`.")
    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    if package.get("synthetic"):
        # A synthetic cohort is labelled on every page, in the PDF's title and release line.
        options["announcement"] = announcement(package)
        config.html_theme_options = options
        config.release += " SYNTHETIC DATA"
        config.project = f"SYNTHETIC DATA: {config.project}"
        config.html_title = f"SYNTHETIC DATA: {config.html_title}"
    config.myst_substitutions = dict(config.myst_substitutions) | {
        "version": s["version"], "commit": s["commit"], "build_date": s["build_date"], "pdf_link": pdf_text,
        "cite_as": suggested_citation(), "licence": LICENCE}


def data_archive(version: str) -> Path:
    """The data package in force as one zip file (``<folder>/<file>`` inside, fixed dates: the same
    bytes on every build), in its build folder, for the site's downloads."""
    folder = data_dir()
    target = build_paths().build / "downloads" / f"{DATA_ARCHIVE}-{version}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", (1980, 1, 1, 0, 0, 0))
            info.external_attr, info.compress_type = 0o644 << 16, zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    return target


def announcement(package: dict) -> str:
    """The banner of a synthetic report: HTML (the theme inserts it as is), so the title from the data is escaped."""
    return f"SYNTHETIC DATA: {html.escape(str(package.get('title', '')))}. Nothing here describes the study."


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-thebe's scripts: the report runs no live kernels, and the
    scripts point at an outside host and are included twice (a console error)."""
    def wanted(script) -> bool:
        name = str(getattr(script, "filename", script) or "")
        body = str(getattr(script, "attributes", {}).get("body", ""))
        return "thebe" not in name and "THEBE_JS_URL" not in body

    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if wanted(s)]


def _static_changed(app, env, added, changed, removed) -> list[str]:
    """Every page is written again when a style sheet or script changes: Sphinx copies them, and
    stamps their links with a checksum, only when it writes pages, and a changed CSS file alone
    makes no page out of date."""
    digest = hashlib.sha256()
    # extensions add their own folders (absolute, in the environment): each file is named within its folder
    for folder in app.config.html_static_path:
        root = Path(app.confdir, folder)
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    previous, env.ips_static_digest = getattr(env, "ips_static_digest", None), digest.hexdigest()
    return sorted(env.found_docs) if previous != env.ips_static_digest else []


def setup(app):
    app.connect("env-get-outdated", _static_changed)
    app.connect("config-inited", _configure, priority=900)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
