# Sourced by the build scripts: `. "$(dirname "$0")/common.sh"`.
# Works from the project root, with the data directory in force (default data/).
#
# Each data directory has its own build folder, so building one never
# invalidates or overwrites another:
#   data/              -> _build/                       (_build/html, _build/pdf)
#   _build/NAME/data   -> _build/NAME/                  (a cohort generated inside a build
#                                                        folder, as `make synthetic` does)
#   any other DIR      -> _build/data-<name>-<hash of its path>/
# A build folder holds the published site (html/), the PDF (pdf/), the build logs
# (logs/), the Sphinx work folders (.work/, .work-latex/), the jupyter cache
# (.jupyter_cache/), the input stamp (.inputs.sha256), the build's configuration
# (.config.yml) and a lock.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd -P)
: "${IPS_REPORT_DATA:=$root/data}"
IPS_REPORT_DATA=$(realpath -m "$IPS_REPORT_DATA")
export IPS_REPORT_DATA
bin=.venv/bin

build_dir_for() {
  local data=$1 parent
  parent=$(dirname "$data")
  if [ "$data" = "$root/data" ]; then
    echo _build
  elif [ "$(basename "$data")" = data ] && [ "$(dirname "$parent")" = "$root/_build" ]; then
    echo "_build/$(basename "$parent")"
  else
    echo "_build/data-$(basename "$data" | tr -c 'A-Za-z0-9._\n-' _)-$(printf %s "$data" | sha256sum | cut -c1-12)"
  fi
}

build=$(build_dir_for "$IPS_REPORT_DATA")
site=$build/html
pdf_dir=$build/pdf
# The full output of each build (Sphinx, the kernels, TeX); the terminal gets one line per
# stage and per chapter executed (analysis/buildlog.py), and the error lines if it fails.
logs=$build/logs
# The chapters' kernels talk to the build over encrypted sockets (analysis/kernel.py), so
# ipykernel has no "running over TCP without encryption" warning to print.
export JUPYTER_DEFAULT_PROVISIONER_NAME=ips-encrypted-provisioner
# The site offers the PDF of its own data directory for download (analysis/sphinx_stamp.py).
export IPS_REPORT_PDF_DIR=$root/$pdf_dir

# One build at a time per build folder: an HTML and a PDF build of the same data
# share the jupyter cache and the stamp, and a build that clears the cache must
# not pull it from under another (`make -j2 html pdf`, a preview beside a test run).
# The lock is held until the script exits.
lock_build() {
  mkdir -p "$build"
  exec 9>"$build/.lock"
  if ! flock -n 9; then
    echo "waiting for another build in $build to finish ..."
    flock 9
  fi
}

# The book's configuration with this build folder's jupyter cache; pass it to
# `jupyter-book build --config`.
write_config() {
  "$bin/python" - "$root/$build/.jupyter_cache" "$build/.config.yml" <<'EOF'
import sys
import yaml

with open("_config.yml", encoding="utf-8") as handle:
    config = yaml.safe_load(handle)
config.setdefault("execute", {})["cache"] = sys.argv[1]
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    yaml.safe_dump(config, handle, sort_keys=False, allow_unicode=True)
EOF
}

# jupyter-cache notices only edits to code cells. Everything else that can change
# an output is hashed here, and when it changes the cache and Sphinx's saved
# doctrees are cleared, so no build (HTML or PDF) publishes stale numbers: the
# analysis package and its style file, the data directory (every file), the book
# and Sphinx configuration, the pinned requirements and the installed packages
# (.venv/bin/.installed lists them), the Python version, and these scripts.
inputs_stamp=$build/.inputs.sha256

inputs_hash() {
  local inputs=(analysis reportbuild tools "$IPS_REPORT_DATA" _config.yml _toc.yml pyproject.toml requirements.txt
                "$bin/.installed")
  local present=() path
  for path in "${inputs[@]}"; do
    [ -e "$path" ] && present+=("$path")
  done
  {
    echo "$IPS_REPORT_DATA"
    "$bin/python" -c 'import sys; print(sys.version)'
    find "${present[@]}" \( -name __pycache__ -o -name .ipynb_checkpoints -o -name '*.egg-info' \) -prune \
      -o -type f -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

clear_if_inputs_changed() {
  mkdir -p "$build"
  local inputs
  inputs=$(inputs_hash)
  if [ "$inputs" != "$(cat "$inputs_stamp" 2>/dev/null)" ]; then
    echo "inputs changed: chapters will be re-executed and re-read"
    rm -rf "$build/.jupyter_cache" "$build/.work/_build/.doctrees" "$build/.work-latex/_build/.doctrees" \
      "$build/.preview/doctrees"
    echo "$inputs" > "$inputs_stamp"
  fi
}

# Execution times stay out of the published pages (two builds of one commit are
# byte-identical); the build prints those of the chapters it executed, and the last
# execution of every chapter is kept in the build folder and in the build's log ($1).
record_executions() {
  "$bin/python" -m reportbuild.status executions "$build/.jupyter_cache" --json "$build/executions.json" >> "$1"
}

# Run a jupyter-book build ($2 ...) quietly: its output to the log $logs/$1.log, progress
# and, on failure, the error lines and the log's path to the terminal; its exit status.
quietly() {
  local name=$1
  shift
  mkdir -p "$logs"
  "$bin/python" -m reportbuild.buildlog --log "$root/$logs/$name.log" --label "$name" -- "$@"
}

# Whether TeX Live and the PDF's fonts are here. The font list is captured, not
# piped into `grep -q`: under pipefail, grep's early exit would kill fc-list with
# SIGPIPE and fail the check although the font is installed.
have_tex() {
  command -v xelatex >/dev/null && command -v latexmk >/dev/null && command -v fc-list >/dev/null &&
    [ -n "$(fc-list FreeSerif family)" ]
}

# Defence in depth for the PDF: TeX runs without shell escape and reads only
# files below its working folder, by relative name (kpathsea's "paranoid" mode
# also forbids absolute names and ".."), while the files of the TeX installation
# are still found through kpathsea's search. A missed escape in text from the
# data can then neither run a command nor print a file of the build machine.
tex_sandbox() {
  export shell_escape=f openin_any=p openout_any=p
}
