#!/usr/bin/env bash
# Build the PDF through LaTeX (xelatex) into the data directory's build folder
# (tools/common.sh): _build/pdf/<name>-<version>.pdf for data/, with the full log
# in its logs/pdf.log.
# As root, installs the Debian TeX Live packages it needs if they are missing;
# otherwise names them and exits 2.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# TeX Live (system-packages.toml, group report): installed as root if missing, else named (exit 2).
"$bin/python" -m reportbuild.system ensure report

check_data
name=$("$bin/python" -c "from reportbuild.version import pdf_name; print(pdf_name())")
# Nothing changed since the last PDF (its inputs, the stamp's, TeX Live's version): nothing to do.
built_stamp=$build/.pdf-built
tex_version=$(xelatex --version)
fingerprint=$(everything_hash "tex: ${tex_version%%$'\n'*}")
if [ -f "$pdf_dir/$name" ] && [ "$fingerprint" = "$(cat "$built_stamp" 2>/dev/null)" ]; then
  echo "PDF: up to date, $root/$pdf_dir/$name"
  exit 0
fi

lock_build
clear_if_inputs_changed
write_config
execute_chapters pdf

tex_sandbox
# LaTeX starts from a clean folder: auxiliary files of another document class (the
# table of contents of a "manual") stop xelatex with "Something's wrong--perhaps a missing \item".
rm -rf "$(dirname "$work_pdf")"
QUIET_APPEND=1 quietly pdf "$bin/jupyter-book" build . --builder pdflatex -W -n --keep-going --config "$config" \
  --path-output "$work_latex"
record_executions "$logs/pdf.log"
mkdir -p "$pdf_dir"
cp "$work_pdf" "$pdf_dir/$name.tmp"
mv "$pdf_dir/$name.tmp" "$pdf_dir/$name"
echo "$fingerprint" > "$built_stamp"
echo "PDF: $root/$pdf_dir/$name"
