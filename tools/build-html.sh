#!/usr/bin/env bash
# Build the HTML atomically: into a temporary folder, swapped in only on success.
# A failed build (bad data, a failing cell, a warning) leaves the last good site
# in _build/html, exits non-zero and prints the error.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${IPS_REPORT_DATA:=$PWD/data}"
export IPS_REPORT_DATA
bin=.venv/bin
stamp=_build/.inputs.sha256
mkdir -p _build

# jupyter-cache notices only edits to code cells: a change to analysis/ or the
# data clears the cache, so no build publishes numbers from stale inputs.
inputs=$( { echo "$IPS_REPORT_DATA"; find analysis "$IPS_REPORT_DATA" -type f \
  \( -name '*.py' -o -name '*.csv' -o -name '*.json' -o -name '*.bib' -o -name '*.mplstyle' \) -print0 \
  | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)
if [ "$inputs" != "$(cat "$stamp" 2>/dev/null)" ]; then
  echo "inputs changed: chapters will be re-executed and re-read"
  rm -rf _build/.jupyter_cache _build/.work/_build/.doctrees
fi

"$bin/python" -m analysis check-data

# Sphinx works in _build/.work (its doctrees make rebuilds incremental); the
# published _build/html is replaced only after a build that succeeded.
"$bin/jupyter-book" build . -W -n --keep-going --path-output _build/.work
rm -rf _build/.html-new _build/.html-old
cp -a _build/.work/_build/html _build/.html-new
[ -d _build/html ] && mv _build/html _build/.html-old
mv _build/.html-new _build/html
rm -rf _build/.html-old
echo "$inputs" > "$stamp"
echo "HTML: $PWD/_build/html/index.html"
