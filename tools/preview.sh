#!/usr/bin/env bash
# A live preview for authors: serve the book on http://127.0.0.1:${PORT:-8000}/ and
# rebuild the page an author saves (sphinx-autobuild's server, reportbuild/preview.py). Chapters whose code did not
# change are not re-executed (the build folder's jupyter cache); a change to
# analysis/, data/ or the configuration clears what it invalidates before the next
# rebuild (reportbuild/inputs.py), so the preview never shows stale numbers.
# Not for publishing: `make html` builds the site with warnings as errors.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The pages say "preview" where the commit goes (reportbuild/version.py).
export IPS_REPORT_PREVIEW=1
check_data
clear_if_inputs_changed
write_config
preview=$build/.preview
mkdir -p "$preview/conf"
# Sphinx's own configuration, written from _config.yml by Jupyter Book, with every
# relative path made absolute: the configuration lives in the build folder.
"$bin/jupyter-book" config sphinx . --config "$config" >/dev/null
mv "$build/conf.py" "$preview/conf/conf.py"
"$bin/python" - "$preview/conf/conf.py" "$root" <<'PY'
import re, sys
path, root = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
for name in ("html_static_path", "bibtex_bibfiles", "external_toc_path", "html_favicon"):
    text = re.sub(rf"^({name} = )(.*)$",
                  lambda m: m.group(1) + re.sub(r"'([^'/][^']*)'", lambda p: repr(f"{root}/{p.group(1)}"), m.group(2)),
                  text, flags=re.M)
# The preview builds many times in one process, and the themes append their folders to
# templates_path: a list of its own for each build, or every build would see a new
# configuration and rewrite every page.
text += "\ntemplates_path = []\n"
open(path, "w", encoding="utf-8").write(text)
PY

echo "Preview on http://127.0.0.1:${PORT:-8000}/ (Ctrl-C to stop)"
exec "$bin/python" -m reportbuild.preview . "$preview/html" "$preview/conf" "$preview/doctrees" 127.0.0.1 "${PORT:-8000}"
