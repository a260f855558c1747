"""Sphinx extension: put the version stamp on every page and on the PDF's title page.

Sets ``version``/``release``, ``today`` and ``copyright`` from
:mod:`reportbuild.version`, adds the stamp to the HTML footer, and offers the PDF
for download when ``make pdf`` has built it. Pages can use the MyST
substitutions ``{{ version }}``, ``{{ commit }}``, ``{{ build_date }}`` and
``{{ pdf_link }}``.
"""

from __future__ import annotations


import html
import json
import os
from pathlib import Path

from analysis.paths import PROJECT_ROOT, build_paths, data_dir
from .version import stamp

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
    pdf = pdf_dir() / s["pdf"]
    has_pdf = pdf.is_file()
    if has_pdf:  # relative to the project: no absolute path of the machine in the configuration's hash
        config.html_extra_path = list(config.html_extra_path) + [os.path.relpath(pdf, PROJECT_ROOT)]
    link = f'<a href="../{s["pdf"]}">Download the PDF</a>. ' if has_pdf else ""
    options = dict(config.html_theme_options)
    options["extra_footer"] = (f"<p>Version {s['version']}, commit <code>{s['commit']}</code>, "
                               f"built {s['build_date']}. {link}</p>")
    config.html_theme_options = options
    pdf_text = ("The PDF of this version is linked at the foot of every page." if has_pdf
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
        "version": s["version"], "commit": s["commit"], "build_date": s["build_date"], "pdf_link": pdf_text}


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


def _fix_citation_roles(app, pagename, templatename, context, doctree) -> None:
    """docutils marks a citation list role="list" but its entries role="doc-biblioentry", which
    is not a list item (axe-core: aria-required-children, critical). Entries become list items."""
    body = context.get("body")
    if body and 'class="citation-list"' in body:
        context["body"] = body.replace('<div class="citation" id="', '<div class="citation" role="listitem" id="') \
                              .replace('" role="doc-biblioentry">', '">')


def setup(app):
    app.connect("config-inited", _configure, priority=900)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _fix_citation_roles, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
