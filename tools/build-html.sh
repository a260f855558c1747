#!/usr/bin/env bash
# Build the HTML atomically: into a temporary folder, swapped in only on success.
# A failed build (bad data, a failing cell, a warning) leaves the last good site
# in _build/html, exits non-zero and prints the error.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$bin/python" -m analysis check-data
clear_if_inputs_changed

# Sphinx works in _build/.work (its doctrees make rebuilds incremental); the
# published site ($SITE, default _build/html) is replaced only after a build that succeeded.
site=${SITE:-_build/html}
"$bin/jupyter-book" build . -W -n --keep-going --path-output _build/.work
rm -rf "$site.new" "$site.old"
mkdir -p "$(dirname "$site")"
cp -a _build/.work/_build/html "$site.new"
[ -d "$site" ] && mv "$site" "$site.old"
mv "$site.new" "$site"
rm -rf "$site.old"
echo "HTML: $PWD/$site/index.html"
