"""Sphinx extension: put the version stamp on every page and on the PDF's title page.

Sets ``version``/``release``, ``today`` and ``copyright`` from
:mod:`analysis.version`, adds the stamp to the HTML footer, and offers the PDF
for download when ``make pdf`` has built it. Pages can use the MyST
substitutions ``{{ version }}``, ``{{ commit }}``, ``{{ build_date }}`` and
``{{ pdf_link }}``.
"""

from __future__ import annotations

from pathlib import Path

from .paths import PROJECT_ROOT
from .version import stamp

PDF_DIR = PROJECT_ROOT / "_build" / "pdf"


def _configure(app, config) -> None:
    s = stamp()
    config.version = s["version"]
    config.release = f"{s['version']} (commit {s['commit']})"
    config.today = s["build_date"]
    config.copyright = f"{s['year']}. Article: © 2017 the authors, CC BY 4.0"
    pdf = PDF_DIR / s["pdf"]
    has_pdf = pdf.is_file()
    if has_pdf:
        config.html_extra_path = list(config.html_extra_path) + [str(pdf)]
    link = f'<a href="../{s["pdf"]}">Download the PDF</a>. ' if has_pdf else ""
    options = dict(config.html_theme_options)
    options["extra_footer"] = (f"<p>Version {s['version']}, commit <code>{s['commit']}</code>, "
                               f"built {s['build_date']}. {link}</p>")
    config.html_theme_options = options
    pdf_text = ("The PDF of this version is linked at the foot of every page." if has_pdf
                else "A PDF of this version is built with `make pdf`.")
    config.myst_substitutions = dict(config.myst_substitutions) | {
        "version": s["version"], "commit": s["commit"], "build_date": s["build_date"], "pdf_link": pdf_text}


def setup(app):
    app.connect("config-inited", _configure, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
