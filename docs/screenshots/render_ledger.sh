#!/bin/sh
# Renders two sheets of the fixture ledger workbook (tests/ledger_book.py) as the README shows
# them: LibreOffice headless prints them to PDF, pdftoppm crops each page to its table.
# Needs Debian's libreoffice-calc-nogui and poppler-utils. Run from the repository root:
#   sh docs/screenshots/render_ledger.sh
set -eu
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m tests.ledger_book "$tmp/ledger.xlsx" '贫困户（2020）' '结对帮扶 2020'
soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/ledger.xlsx" >/dev/null 2>&1
r=200
px() { python3 -c "print(round($1 * $r / 72))"; }  # points → pixels
# page 1: 贫困户（2020）; page 2: 结对帮扶 2020 (crop boxes in points, from the page's top left)
pdftoppm -png -r $r -f 1 -l 1 -x "$(px 52)" -y "$(px 66)" -W "$(px 680)" -H "$(px 102)" \
    -singlefile "$tmp/ledger.pdf" "$out/ledger-households"
pdftoppm -png -r $r -f 2 -l 2 -x "$(px 52)" -y "$(px 66)" -W "$(px 628)" -H "$(px 184)" \
    -singlefile "$tmp/ledger.pdf" "$out/ledger-pairings"
