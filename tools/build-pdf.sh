#!/usr/bin/env bash
# Build the PDF through LaTeX (xelatex) into the data directory's build folder
# (tools/common.sh): _build/pdf/<name>-<version>.pdf for data/.
# As root, installs the Debian TeX Live packages it needs if they are missing;
# otherwise, if they are missing, names them and exits 3 so that `make report`
# can still build the HTML.
set -euo pipefail
. "$(dirname "$0")/common.sh"
packages="texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk fonts-freefont-otf"

# Whether TeX Live and the fonts are here. The font list is captured, not piped
# into `grep -q`: under pipefail, grep's early exit kills fc-list with SIGPIPE.
have_tex() {
  command -v xelatex >/dev/null && command -v latexmk >/dev/null && command -v fc-list >/dev/null &&
    [ -n "$(fc-list FreeSerif family)" ]
}

if ! have_tex; then
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

"$bin/python" -m analysis check-data
name=$("$bin/python" -c "from analysis.version import pdf_name; print(pdf_name())")
lock_build
clear_if_inputs_changed
write_config

# Defence in depth: TeX runs without shell escape and may read only files below
# its working folder, by relative name (kpathsea's "paranoid" setting, which also
# forbids absolute names and ".."); files of the TeX installation are still found
# through kpathsea's search. A missed escape in the text cannot run a command or
# print a file of the build machine into the PDF.
export shell_escape=f openin_any=p openout_any=p
rm -f "$build/.work-latex/_build/latex/ips-chronic-pain-report.pdf"
"$bin/jupyter-book" build . --builder pdflatex -W -n --keep-going --config "$build/.config.yml" \
  --path-output "$build/.work-latex"
mkdir -p "$pdf_dir"
cp "$build/.work-latex/_build/latex/ips-chronic-pain-report.pdf" "$pdf_dir/$name.tmp"
mv "$pdf_dir/$name.tmp" "$pdf_dir/$name"
echo "PDF: $root/$pdf_dir/$name"
