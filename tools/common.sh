# Sourced by the build scripts: `. "$(dirname "${BASH_SOURCE[0]}")/common.sh"`.
# Works from the project root, with the data directory in force (default data/).
#
# Each data directory has its own build folder, so building one never
# invalidates or overwrites another. analysis/paths.py names every folder and file
# of a build (`python -m analysis.paths --shell`: $build, $site, $pdf_dir, $logs,
# $work, $work_latex, $cache, $config, $lock, ...).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd -P)
: "${IPS_REPORT_DATA:=$root/data}"
IPS_REPORT_DATA=$(realpath -m "$IPS_REPORT_DATA")
export IPS_REPORT_DATA
bin=.venv/bin

# Every path of the build comes from analysis/paths.py, the one module that knows them.
build_dir_for() {
  IPS_REPORT_DATA=$1 "$bin/python" -m analysis.paths --shell | sed -n 's/^build=//p'
}

eval "$("$bin/python" -m analysis.paths --shell)"
export JUPYTER_DEFAULT_PROVISIONER_NAME=ips-encrypted-provisioner
# The site offers the PDF of its own data directory for download (analysis/sphinx_stamp.py).
export IPS_REPORT_PDF_DIR=$root/$pdf_dir

# One build at a time per build folder: an HTML and a PDF build of the same data
# share the jupyter cache and the stamp, and a build that clears the cache must
# not pull it from under another (`make -j2 html pdf`, a preview beside a test run).
# The lock is held until the script exits.
lock_build() {
  mkdir -p "$build"
  exec 9>"$lock"
  if ! flock -n 9; then
    echo "waiting for another build in $build to finish ..."
    flock 9
  fi
}

# The book's configuration with this build folder's jupyter cache; pass it to
# `jupyter-book build --config`.
write_config() {
  "$bin/python" - "$root/$cache" "$config" <<'EOF'
import sys
import yaml

with open("_config.yml", encoding="utf-8") as handle:
    config = yaml.safe_load(handle)
config.setdefault("execute", {})["cache"] = sys.argv[1]
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    yaml.safe_dump(config, handle, sort_keys=False, allow_unicode=True)
EOF
}

# jupyter-cache notices only edits to code cells. Every other input that can change
# an output is hashed file by file (reportbuild/inputs.py): a change to the tooling,
# the configuration or the installed packages clears the whole execution cache and
# Sphinx's saved doctrees; a change to an analysis module or a data file clears only
# the chapters that used it. No build (HTML, PDF or preview) publishes stale numbers.
clear_if_inputs_changed() {
  "$bin/python" -m reportbuild.inputs
}

# Execute the chapters whose code has no executed copy in the cache, one kernel per
# core, before Sphinx renders them from the cache (reportbuild/execute.py).
# Its output goes to the build's log ($1: html or pdf), started again here.
execute_chapters() {
  quietly "$1" "$bin/python" -m reportbuild.execute "$root/$cache" --executions "$root/$executions"
}

# Validate the data package (python -m analysis check-data), unless these very files
# were valid at the last check: bad data stops the build with the file, row, column,
# value and rule.
check_data() {
  local hash
  hash=$(find "$IPS_REPORT_DATA" analysis/validation.py analysis/data.py analysis/registry.py -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [ "$hash" != "$(cat "$build/.data-valid" 2>/dev/null)" ]; then
    "$bin/python" -m analysis check-data
    mkdir -p "$build"
    echo "$hash" > "$build/.data-valid"
  fi
}

# A fingerprint of everything a page can come from: the book and every input above,
# and the version stamp's own sources (the commit, whether the work tree differs from
# it, SOURCE_DATE_EPOCH; reportbuild/version.py). When it matches the last successful
# build, `make html` (or `make pdf`) has nothing to do. $1, $2, ...: more to include.
everything_hash() {
  local head dirty
  head=$(git rev-parse HEAD 2>/dev/null || true)
  dirty=$(git status --porcelain --untracked-files=no 2>/dev/null || true)
  {
    echo "$IPS_REPORT_DATA"
    echo "commit ${head:-none}${dirty:++changes} date ${SOURCE_DATE_EPOCH:-}"
    printf '%s\n' "$@"
    find book analysis reportbuild tools "$IPS_REPORT_DATA" _config.yml _toc.yml pyproject.toml requirements.txt \
      "$bin/.installed" \( -name __pycache__ -o -name .ipynb_checkpoints -o -name '*.egg-info' \) -prune \
      -o -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
}

# Execution times stay out of the published pages (two builds of one commit are
# byte-identical); the build prints those of the chapters it executed, and the last
# execution of every chapter is kept in the build folder and in the log ($1) of the
# build that executed something. They come from the cache's entries (one folder each
# under executed/). The execute step writes them when it executed a chapter; this is
# for a chapter Sphinx executed itself (its code saved during the build), and when no
# entry was added or removed since, there is nothing to do.
record_executions() {
  [ "$executions" -nt "$cache/executed" ] && return
  "$bin/python" -m reportbuild.status executions "$cache" --json "$executions" >> "$1"
}

# Run a jupyter-book build ($2 ...) quietly: its output to the log $logs/$1.log, progress
# and, on failure, the error lines and the log's path to the terminal; its exit status.
quietly() {
  local name=$1
  shift
  mkdir -p "$logs"
  "$bin/python" -m reportbuild.buildlog --log "$root/$logs/$name.log" --label "$name" ${QUIET_APPEND:+--append} -- "$@"
}

# Defence in depth for the PDF: TeX runs without shell escape and reads only
# files below its working folder, by relative name (kpathsea's "paranoid" mode
# also forbids absolute names and ".."), while the files of the TeX installation
# are still found through kpathsea's search. A missed escape in text from the
# data can then neither run a command nor print a file of the build machine.
tex_sandbox() {
  export shell_escape=f openin_any=p openout_any=p
}
