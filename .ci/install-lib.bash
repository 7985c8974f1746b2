# Helpers shared by the .ci/install-* scripts. Sourced, not run.
# shellcheck shell=bash
# Each helper is quiet on success and says what failed, and how to look, on failure.

# The name of the script that sourced us, for messages.
ci_name=$(basename "${0:-install}")

die() {
  echo "$ci_name: error: $*" >&2
  exit 1
}

note() {
  echo "$ci_name: $*" >&2
}

# Runs a command as root: directly when we are root (as CI is), else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@" || die "\`sudo -n $*\` failed; run this script as root or allow sudo without a password"
  else
    die "need root for \`$*\` and sudo is not installed; run this script as root"
  fi
}

# True when the Debian package is installed (not merely known or half-configured).
deb_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

# Installs the Debian packages that are missing, without recommends (chromium's recommends
# would bring systemd, avahi and cups). apt-get update runs first: a fresh machine's lists
# may be empty or old. Output goes to a log that is shown only if something fails.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    deb_installed "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local log
  log=$(mktemp -t eligo-apt.XXXXXX.log)
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 ||
    ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "apt-get could not install ${missing[*]} (full log: $log)"
  fi
  rm -f "$log"
}

# Prints the version "X.Y.Z" that `$1 --version` reports on its first line, or nothing.
first_version() {
  "$@" --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n 1
}

# True when dotted version $1 >= $2 (sort -V knows version order).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

# Installs packages into the environment of the Python interpreter $1 with the machine's pip
# (`pip --python`), so a venv made with --without-pip needs no ensurepip (10 s saved).
# --no-compile: writing .pyc files for pandas, pyarrow and pyspark took longer than the
# installs themselves. On failure shows the tail of pip's log and stops.
pip_quiet() {
  local python=$1 log
  shift
  log=$(mktemp -t eligo-pip.XXXXXX.log)
  if ! python3 -m pip --python "$python" install --disable-pip-version-check --no-input --no-compile \
    "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "pip install $* failed (full log: $log)"
  fi
  rm -f "$log"
}
