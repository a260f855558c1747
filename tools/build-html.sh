#!/usr/bin/env bash
# Build the HTML atomically: into a temporary folder, swapped in only on success.
# A failed build (bad data, a failing cell, a warning) leaves the last good site
# in place, exits non-zero and prints the error lines and where the full log is.
# The site goes to the data directory's build folder (tools/common.sh): _build/html
# for data/, and the log to its logs/html.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$bin/python" -m analysis check-data
lock_build
clear_if_inputs_changed
write_config

# Sphinx works in $build/.work (its doctrees make rebuilds incremental); the
# published site is replaced only after a build that succeeded.
quietly html "$bin/jupyter-book" build . -W -n --keep-going --config "$build/.config.yml" --path-output "$build/.work"
rm -rf "$site.new" "$site.old"
cp -a "$build/.work/_build/html" "$site.new"
[ -d "$site" ] && mv "$site" "$site.old"
mv "$site.new" "$site"
rm -rf "$site.old"
record_executions "$logs/html.log"
echo "HTML: $root/$site/index.html"
