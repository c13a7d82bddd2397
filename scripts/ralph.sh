#!/usr/bin/env bash
# Install and run Ralph (ralph-malph), an open-source xAPI Learning Record
# Store, for Firstline's integration tests. Storage is the filesystem backend.
#
#   scripts/ralph.sh install DIR      venv + ralph into DIR, write DIR/auth.json
#   scripts/ralph.sh start DIR PORT   run the LRS on 127.0.0.1:PORT (background)
#   scripts/ralph.sh stop DIR         stop it
#
# Credentials: FIRSTLINE_RALPH_USER (default firstline) and
# FIRSTLINE_RALPH_PASSWORD (default firstline-test); Basic auth, scope "all".
# The LRS endpoint is then http://127.0.0.1:PORT/xAPI/ .
set -euo pipefail

RALPH_VERSION=5.1.0
USER_NAME=${FIRSTLINE_RALPH_USER:-firstline}
USER_PASS=${FIRSTLINE_RALPH_PASSWORD:-firstline-test}

die() { echo "ralph.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 install DIR | start DIR PORT | stop DIR"; }

cmd=${1:-}; [ -n "$cmd" ] || usage
DIR=${2:-}; [ -n "$DIR" ] || usage
[ "$cmd" = stop ] || mkdir -p "$DIR"
[ -d "$DIR" ] && DIR=$(cd "$DIR" && pwd)   # absolute, so env paths survive any cd

# Environment every ralph command needs (auth file + filesystem backend).
# RALPH_APP_DIR keeps ralph's history.json in DIR instead of ~/.config/ralph.
export RALPH_APP_DIR="$DIR" RALPH_AUTH_FILE="$DIR/auth.json" RALPH_RUNSERVER_BACKEND=fs
export RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH="$DIR/data"

# Kill the pid in DIR/ralph.pid: SIGTERM, wait up to ~10 s, then SIGKILL.
stop_server() {
  [ -f "$DIR/ralph.pid" ] || { echo "ralph.sh: not running"; return 0; }
  local pid; pid=$(cat "$DIR/ralph.pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/ralph.pid"
  echo "ralph.sh: stopped"
}

case "$cmd" in
install)
  if [ ! -x "$DIR/venv/bin/python" ]; then
    python3 -m venv "$DIR/venv" || {
      rm -rf "$DIR/venv"
      die "python3 -m venv failed; on Debian/Ubuntu run: apt-get install -y python3-venv"
    }
  fi
  # Skip pip when a previous install already works.
  if "$DIR/venv/bin/uvicorn" --version >/dev/null 2>&1 &&
     "$DIR/venv/bin/ralph" --help >/dev/null 2>&1; then
    echo "ralph.sh: ralph already installed in $DIR/venv"
  else
    "$DIR/venv/bin/pip" install --disable-pip-version-check -q \
      "ralph-malph[cli,lrs]==$RALPH_VERSION" requests
  fi
  # Rewrite the credentials file from scratch: -w *appends*, and ralph
  # refuses a file holding the same username twice. The mbox must use a
  # non-reserved domain (ralph rejects e.g. .local).
  rm -f "$DIR/auth.json"
  out=$("$DIR/venv/bin/ralph" auth -u "$USER_NAME" -p "$USER_PASS" \
    -s all -M "mailto:$USER_NAME@example.com" -w 2>&1) ||
    { echo "$out" >&2; die "ralph auth failed for user $USER_NAME"; }
  # ASGI shim that works around two bugs of Ralph 5.1.0's fs LRS backend
  # without touching ralph itself:
  # 1. it writes with operation_type CREATE, so every POST/PUT after the
  #    first fails with 500 ("fs_lrs.jsonl already exists"): append instead;
  # 2. GET ?activity= / ?verb= compare a str with an IRI object and never
  #    match: pass them on as plain strings.
  cat >"$DIR/firstline_ralph_app.py" <<'PY'
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
_query_statements = FSLRSBackend.query_statements


def query_statements(self, params, target=None):
    for field in ("activity", "verb"):
        value = getattr(params, field, None)
        if value is not None:
            setattr(params, field, str(value))
    return _query_statements(self, params, target)


FSLRSBackend.query_statements = query_statements

from ralph.api import app  # noqa: E402,F401
PY
  echo "ralph.sh: installed in $DIR (user $USER_NAME)"
  ;;
start)
  PORT=${3:-}; [ -n "$PORT" ] || usage
  [ -x "$DIR/venv/bin/uvicorn" ] && [ -f "$DIR/auth.json" ] &&
    [ -f "$DIR/firstline_ralph_app.py" ] ||
    die "not installed; run: $0 install $DIR"
  if [ -f "$DIR/ralph.pid" ] && kill -0 "$(cat "$DIR/ralph.pid")" 2>/dev/null; then
    die "already running (pid $(cat "$DIR/ralph.pid"))"
  fi
  # Refuse a busy port: the heartbeat check would otherwise see another server.
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT is already in use"
  fi
  mkdir -p "$DIR/data"
  # Direct child, so $! is uvicorn's own pid.
  "$DIR/venv/bin/uvicorn" --app-dir "$DIR" firstline_ralph_app:app --host 127.0.0.1 \
    --port "$PORT" >"$DIR/ralph.log" 2>&1 </dev/null &
  echo $! >"$DIR/ralph.pid"
  # Wait up to ~30 s for the heartbeat.
  for _ in $(seq 60); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/__heartbeat__" 2>/dev/null; then
      echo "ralph.sh: LRS up at http://127.0.0.1:$PORT/xAPI/ (pid $(cat "$DIR/ralph.pid"))"
      exit 0
    fi
    kill -0 "$(cat "$DIR/ralph.pid")" 2>/dev/null || break   # died early
    sleep 0.5
  done
  echo "ralph.sh: LRS did not come up on port $PORT; log tail:" >&2
  tail -n 30 "$DIR/ralph.log" >&2 || true
  stop_server >/dev/null 2>&1 || true
  exit 1
  ;;
stop) stop_server ;;
*) usage ;;
esac
