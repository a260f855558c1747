"""How the report is built, checked and released: everything that is not the science.

The version stamp from git, the Sphinx pieces that render the analysis package's
outputs and the article, execution of the chapters into the published record,
the release and its certificate, the live preview. It imports ``analysis``;
``analysis`` never imports it, and a chapter's kernel needs none of it.
"""
