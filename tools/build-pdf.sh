#!/usr/bin/env bash
# Build the PDF through LaTeX (xelatex) into _build/pdf/<name>-<version>.pdf.
# As root, installs the Debian TeX Live packages it needs; otherwise, if they are
# missing, names them and exits 3 so that `make report` can still build the HTML.
set -euo pipefail
. "$(dirname "$0")/common.sh"
packages="texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk fonts-freefont-otf"

if ! command -v xelatex >/dev/null || ! command -v latexmk >/dev/null || ! fc-list | grep -q FreeSerif; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing TeX Live: $packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
  else
    echo "The PDF needs TeX Live; install it with:" >&2
    echo "  sudo apt-get install --no-install-recommends $packages" >&2
    exit 3
  fi
fi

name=$("$bin/python" -c "from analysis.version import pdf_name; print(pdf_name())")
"$bin/python" -m analysis check-data
clear_if_inputs_changed
"$bin/jupyter-book" build . --builder pdflatex -W -n --keep-going --path-output _build/.work-latex
mkdir -p _build/pdf
cp _build/.work-latex/_build/latex/ips-chronic-pain-report.pdf "_build/pdf/$name.tmp"
mv "_build/pdf/$name.tmp" "_build/pdf/$name"
echo "PDF: $PWD/_build/pdf/$name"
