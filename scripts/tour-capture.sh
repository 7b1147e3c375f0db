#!/usr/bin/env bash
# Captures the tour's first command, `./biu cluster create`, twice against the running instance
# ($BIU_INSTANCE, default biu), to show how the client reports progress:
#
#   - in a tmux pane, a real terminal: the progress line is redrawn in place, so the pane shows one
#     line at a time (tty-frames.txt: the pane every 0.3 s; tty-final.txt: the pane at the end, where
#     only the result is left);
#   - piped through cat: plain lines, one per change, without carriage returns or escape sequences
#     (piped.txt).
#
# Usage: scripts/tour-capture.sh [NAME [OUT_DIR]]
#   NAME     cluster name prefix (default tour); the clusters are NAME-tty and NAME-pipe of tenant demo,
#            deleted again at the end
#   OUT_DIR  where the captures go (default .biu-test/tour-capture in the checkout)
# Needs tmux, and root (the client reads the instance's operator token). ReadmeIT runs it.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
NAME=${1:-tour}
OUT=${2:-$ROOT/.biu-test/tour-capture}
SOCKET=biu-tour-$$
CREATE=(cluster create --tenant demo --masters 3 --replicas 0 --cpu 0.1 --memory 64MiB --persistence none)

command -v tmux >/dev/null || { echo "tour-capture: tmux is missing (apt-get install -y tmux)" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT"/tty-frames.txt "$OUT"/tty-final.txt "$OUT"/piped.txt

cleanup() {
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  local c
  for c in "$NAME-tty" "$NAME-pipe"; do
    "$ROOT/biu" cluster delete "$c" --tenant demo --yes >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

# In a terminal: a pane of 200 columns running a plain shell; the command signals its end on a channel.
tmux -L "$SOCKET" new-session -d -x 200 -y 50 "bash --norc --noprofile"
tmux -L "$SOCKET" send-keys "cd '$ROOT' && ./biu ${CREATE[*]} $NAME-tty; echo \"exit \$?\"; tmux -L $SOCKET wait-for -S finished" Enter
tmux -L "$SOCKET" wait-for finished &
waiter=$!
deadline=$((SECONDS + 180))
while kill -0 "$waiter" 2>/dev/null; do
  ((SECONDS < deadline)) || { echo "tour-capture: the command in tmux took over 180 s" >&2; exit 1; }
  { echo "--- frame at ${SECONDS}s"; tmux -L "$SOCKET" capture-pane -p; } >>"$OUT/tty-frames.txt"
  sleep 0.3
done
tmux -L "$SOCKET" capture-pane -p >"$OUT/tty-final.txt"
grep -q '^exit 0$' "$OUT/tty-final.txt" || { echo "tour-capture: the command in tmux failed:" >&2; cat "$OUT/tty-final.txt" >&2; exit 1; }

# Through a pipe: what a log or a CI job gets.
(cd "$ROOT" && timeout 180 ./biu "${CREATE[@]}" "$NAME-pipe" | cat >"$OUT/piped.txt")

echo "captures in $OUT: tty-frames.txt, tty-final.txt, piped.txt"
