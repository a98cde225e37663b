#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one test program on an X server of its own with a window manager (openbox): only a window
# manager maximizes a window, and the other UI tests run without one on the shared display.
# Usage: run-with-wm.sh PROGRAM [ARGS...]
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 PROGRAM [ARGS...]" >&2
  exit 2
fi

command -v openbox >/dev/null || { echo "openbox is missing (build-aux/install-deps)" >&2; exit 1; }

exec xvfb-run -a -s "-screen 0 1280x1024x24" sh -c '
  openbox --sm-disable >/dev/null 2>&1 &
  wm=$!
  # Time to take the screen over; a window mapped before that is managed when it has.
  sleep 1
  status=0
  "$@" || status=$?
  kill "$wm" 2>/dev/null || true
  exit "$status"
' run-with-wm "$@"
