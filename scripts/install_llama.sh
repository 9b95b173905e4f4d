#!/usr/bin/env bash
# Install llama-cpp-python (+ its [server] extra) into the project venv, building it at most once.
#
# llama-cpp-python ships only a source distribution for Linux CPUs; compiling llama.cpp takes
# 5-10 minutes on 2 cores. So the built wheel is cached outside the repository
# (KOC_WHEEL_CACHE, default ~/.cache/koc-copilot/wheels) and every later install, in this or a
# fresh venv, just installs that wheel. Idempotent: does nothing when it is already importable.
set -euo pipefail

VENV="${VENV:-.venv}"
PY="${VENV}/bin/python"
VERSION="0.3.36"
CACHE="${KOC_WHEEL_CACHE:-$HOME/.cache/koc-copilot/wheels}"

have_all() {
  "$PY" - <<'PY'
import importlib.util, sys
mods = ("llama_cpp", "sse_starlette", "starlette_context")
sys.exit(0 if all(importlib.util.find_spec(m) for m in mods) else 1)
PY
}

if have_all; then
  echo "llama-cpp-python already installed in ${VENV}"
  exit 0
fi

mkdir -p "$CACHE"
shopt -s nullglob
wheels=("$CACHE"/llama_cpp_python-"$VERSION"-*.whl)
if [ ${#wheels[@]} -eq 0 ]; then
  echo "building llama-cpp-python ${VERSION} once (several minutes); wheel cached in ${CACHE}"
  CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" "$PY" -m pip wheel --no-deps \
    "llama-cpp-python==${VERSION}" -w "$CACHE"
fi

"$PY" -m pip install --quiet --prefer-binary --find-links "$CACHE" "llama-cpp-python[server]==${VERSION}"
have_all
echo "llama-cpp-python ${VERSION} installed from ${CACHE}"
