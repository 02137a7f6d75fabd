#!/usr/bin/env bash
# Runs a command inside a throwaway D-Bus session with a fresh, unlocked GNOME Keyring, so keychain
# tests use a real Secret Service and never the user's own keyring. Only the keyring daemon gets the
# temporary HOME/XDG_DATA_HOME; the command keeps the caller's environment.
set -euo pipefail
if [ "${CERTDESK_THROWAWAY_KEYRING:-}" = 1 ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (Debian: apt-get install dbus-x11 gnome-keyring libsecret-1-dev)" >&2; exit 2; }
done
keyring_home=$(mktemp -d -t certdesk-keyring.XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
export CERTDESK_KEYRING_HOME="$keyring_home"
dbus-run-session -- bash -c '
  set -euo pipefail
  mkdir -p "$CERTDESK_KEYRING_HOME/data"
  # A non-empty password: with an empty one the daemon tries to prompt and fails.
  printf throwaway | HOME="$CERTDESK_KEYRING_HOME" XDG_DATA_HOME="$CERTDESK_KEYRING_HOME/data" \
    gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  export CERTDESK_THROWAWAY_KEYRING=1
  exec "$@"
' with-keyring "$@"
