#!/usr/bin/env bash
# Install what the tests need from Debian (bookworm): headless LibreOffice Calc, the fonts
# that stand in for the Windows fonts our workbooks name, poppler (pdfinfo, pdftoppm,
# pdffonts) and headless Chromium. Idempotent: when everything is present it touches
# nothing and returns at once; apt-get runs only for what is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Both lists are checked: fonts ship no command, and a command can vanish while
# dpkg still lists its package.
packages=(
    libreoffice-calc-nogui   # soffice --headless --convert-to
    poppler-utils            # pdfinfo, pdftoppm, pdffonts
    chromium                 # headless screenshots of HTML reports
    fontconfig               # fc-match, and the alias file below
    fonts-noto-cjk           # Noto Sans/Serif CJK SC: stand-ins for 宋体, 黑体, 等线
    fonts-wqy-zenhei         # second CJK fallback
    fonts-crosextra-carlito  # metric-compatible with Calibri, openpyxl's default font
    fonts-liberation2        # metric-compatible with Arial and Times New Roman
)
commands=(soffice pdfinfo pdftoppm pdffonts chromium fc-match)

fontconf_src="$here/fontconfig/30-selfeval-cjk-aliases.conf"
fontconf_dst="/etc/fonts/conf.d/30-selfeval-cjk-aliases.conf"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "install-test-deps: need root or sudo to run: $*" >&2
        exit 1
    fi
}

missing=()
for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
for cmd in "${commands[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("command:$cmd")
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-test-deps: missing ${missing[*]}; installing with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${packages[@]}"
    for cmd in "${commands[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || {
            echo "install-test-deps: $cmd still missing after apt-get install" >&2
            exit 1
        }
    done
fi

# fontconfig reads its configuration at each program start: no cache to rebuild.
if ! cmp -s "$fontconf_src" "$fontconf_dst"; then
    echo "install-test-deps: installing $fontconf_dst"
    as_root install -m 0644 "$fontconf_src" "$fontconf_dst"
fi

# The service's tests (tests/test_service*.py) need the serve extra, httpx and Playwright
# from PyPI; the desk's browser test drives Debian's Chromium through Playwright's
# executable_path, so no browser is downloaded. pip runs only when one is missing.
python_bin="${PYTHON:-python}"
if ! "$python_bin" -c "import starlette, uvicorn, multipart, httpx, playwright" 2>/dev/null; then
    echo "install-test-deps: installing the serve extra, httpx and playwright with pip"
    "$python_bin" -m pip install --quiet --disable-pip-version-check \
        starlette uvicorn python-multipart httptools httpx playwright
fi
