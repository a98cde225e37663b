#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one test program against a real gnome-keyring-daemon: a fresh HOME and runtime directory
# in a temporary directory, a private D-Bus session, and a login keyring created and unlocked
# with a non-empty password. Usage: run-with-keyring.sh PROGRAM [ARGS...]
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 PROGRAM [ARGS...]" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/green-avatar-keyring-XXXXXX")
# A desktop portal started on the private bus may mount its document store under the runtime
# directory; unmount it before removing the tree, and never let clean-up decide the result.
cleanup() {
  fusermount -u "$tmp/runtime/doc" 2>/dev/null || umount "$tmp/runtime/doc" 2>/dev/null || true
  rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

mkdir -p "$tmp/home" "$tmp/runtime"
chmod 700 "$tmp/home" "$tmp/runtime"

export HOME="$tmp/home"
export XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_DATA_HOME="$tmp/home/.local/share"
export XDG_CONFIG_HOME="$tmp/home/.config"
export XDG_CACHE_HOME="$tmp/home/.cache"
export GA_TEST_SECRET_BACKEND=service
unset SECRET_BACKEND SECRET_FILE_TEST_PATH SECRET_FILE_TEST_PASSWORD GNOME_KEYRING_CONTROL

# The test's G_DEBUG=fatal-warnings and MALLOC_PERTURB_ are for the program under test, not for
# the bus and keyring daemons (a warning of theirs would abort them); the program gets them back.
export GA_TEST_SAVED_G_DEBUG="${G_DEBUG-}"
export GA_TEST_SAVED_MALLOC_PERTURB_="${MALLOC_PERTURB_-}"
unset G_DEBUG MALLOC_PERTURB_

# The daemon reads the password on stdin, creates the login keyring with it and unlocks it, so
# nothing ever prompts. It leaves with the bus when dbus-run-session ends.
status=0
dbus-run-session -- sh -c '
  eval "$(printf %s green-avatar-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  [ -n "$GA_TEST_SAVED_G_DEBUG" ] && export G_DEBUG="$GA_TEST_SAVED_G_DEBUG"
  [ -n "$GA_TEST_SAVED_MALLOC_PERTURB_" ] && export MALLOC_PERTURB_="$GA_TEST_SAVED_MALLOC_PERTURB_"
  exec "$@"
' sh "$@" || status=$?

exit "$status"
