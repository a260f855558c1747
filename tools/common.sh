# Sourced by the build scripts: `. "$(dirname "$0")/common.sh"`.
# Works from the project root, with the data directory in force (default data/).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${IPS_REPORT_DATA:=$PWD/data}"
export IPS_REPORT_DATA
bin=.venv/bin

# jupyter-cache notices only edits to code cells,
# so when analysis/ or the data change the cache and Sphinx's saved doctrees are
# cleared: no build (HTML or PDF) publishes numbers from stale inputs.
inputs_stamp=_build/.inputs.sha256

inputs_hash() {
  { echo "$IPS_REPORT_DATA"; find analysis "$IPS_REPORT_DATA" -type f \
      \( -name '*.py' -o -name '*.csv' -o -name '*.json' -o -name '*.bib' -o -name '*.mplstyle' \) -print0 \
      | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1
}

clear_if_inputs_changed() {
  mkdir -p _build
  inputs=$(inputs_hash)
  if [ "$inputs" != "$(cat "$inputs_stamp" 2>/dev/null)" ]; then
    echo "inputs changed: chapters will be re-executed and re-read"
    rm -rf _build/.jupyter_cache _build/.work/_build/.doctrees _build/.work-latex/_build/.doctrees
    echo "$inputs" > "$inputs_stamp"
  fi
}
