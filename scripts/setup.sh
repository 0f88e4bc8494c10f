#!/usr/bin/env bash
# One-time set-up on Debian/Ubuntu: system packages (ffmpeg for decoding; chromium + xvfb for the browser tests;
# a C++ toolchain for better-sqlite3; python3-onnx + numpy for the tests that generate ONNX models), then the npm
# dependencies and the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends ffmpeg chromium xvfb xauth g++ make python3 ca-certificates python3-onnx python3-numpy
else
  command -v ffmpeg >/dev/null 2>&1 || echo "note: install ffmpeg (or set FFMPEG_PATH) before indexing" >&2
fi
[ -d /usr/include/node ] && export npm_config_nodedir=/usr   # build native modules against the installed Node headers
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"  # CPU inference needs no extra download
npm ci --no-audit --no-fund   # also builds (npm's prepare script runs tsc -b)
echo "ready: npm start   (or: npx audio-ident index <your music folder>)"
