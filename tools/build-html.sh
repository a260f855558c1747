#!/usr/bin/env bash
# Build the HTML atomically: into a temporary folder, swapped in only on success.
# A failed build (bad data, a failing cell, a warning) leaves the last good site
# in place, exits non-zero and prints the error lines and where the full log is.
# The site goes to the data directory's build folder (analysis/paths.py): _build/html
# for data/, and the log to its logs/html.log.
#
# When nothing the site comes from has changed since the last successful build,
# it says so and stops. Otherwise the chapters whose inputs changed are executed,
# one kernel per core, into the jupyter cache, and Sphinx renders from the cache.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

built_stamp=$build/.html-built
# The site carries the PDF of its data directory when there is one (reportbuild/sphinx_stamp.py):
# a new PDF, even under the same name, is a change.
pdfs=$(find "$pdf_dir" -maxdepth 1 -name '*.pdf' -type f -exec sha256sum {} + 2>/dev/null | sort || true)
fingerprint=$(everything_hash "pdf: $pdfs")
if [ -f "$site/index.html" ] && [ "$fingerprint" = "$(cat "$built_stamp" 2>/dev/null)" ]; then
  echo "HTML: up to date, $root/$site/index.html"
  exit 0
fi

check_data
lock_build
clear_if_inputs_changed
write_config
execute_chapters html

# Sphinx works in $work (its doctrees make rebuilds incremental); the
# published site is replaced only after a build that succeeded.
QUIET_APPEND=1 quietly html "$bin/jupyter-book" build . -W -n --keep-going --config "$config" --path-output "$work"
rm -rf "$site.new" "$site.old"
cp -a "$work_html" "$site.new"
[ -d "$site" ] && mv "$site" "$site.old"
mv "$site.new" "$site"
rm -rf "$site.old"
record_executions "$logs/html.log"
echo "$fingerprint" > "$built_stamp"
echo "HTML: $root/$site/index.html"
