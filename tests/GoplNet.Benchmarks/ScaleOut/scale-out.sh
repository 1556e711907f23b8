#!/usr/bin/env bash
# The scale-out figures of the README, in one run on this machine, with real parts:
#   1. memory of a 1 GiB upload to the local disk and of 256 MiB and 1 GiB uploads to S3 (peak resident set);
#   2. upload and download throughput of 256 MiB, S3 against the local disk (same client, curl);
#   3. 200 concurrent sessions (login, download 64 KiB, quit) through HAProxy, on two nodes and on one.
# Needs: a Release build of the tool (dotnet build -c Release), curl, haproxy, node, and s3rver as the
# tests install it ($TMPDIR/goplnet-s3rver-3.7.1; run the S3 tests once). Everything on loopback.
set -euo pipefail
cd "$(dirname "$0")/../../.."
gopl=(dotnet tool/Gopl/bin/Release/net10.0/gopl.dll)
s3rver="${TMPDIR:-/tmp}/goplnet-s3rver-3.7.1/node_modules/s3rver/bin/s3rver.js"
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 NO_COLOR=1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }
# Starts gopl ftp with the given options; sets $node_pid and $node_port.
start_node() {
  local log="$work/node-$RANDOM.log"
  "${gopl[@]}" ftp --host 127.0.0.1 --port 0 --user alice:secret --max-sessions 1000 --max-sessions-per-address 1000 "$@" 2>"$log" &
  node_pid=$!; pids+=("$node_pid")
  for _ in $(seq 200); do node_port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2) && [ -n "$node_port" ] && return 0; sleep 0.05; done
  echo "gopl ftp did not start: $(cat "$log")" >&2; exit 1
}
peak_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
seconds() { date +%s.%N; }

s3port=$(free_port)
mkdir -p "$work/s3"
node --openssl-legacy-provider "$s3rver" -d "$work/s3" -p "$s3port" -a 127.0.0.1 --configure-bucket bench >/dev/null 2>&1 &
pids+=($!); wait_port "$s3port"
s3=(--s3-bucket bench --s3-service-url "http://127.0.0.1:$s3port" --s3-path-style)
mkdir -p "$work/root"

echo "1. memory of one upload (peak resident set of a fresh server process): 1 GiB to disk, 256 MiB and 1 GiB to S3"
truncate -s 1G "$work/1g.bin"
truncate -s 256M "$work/256m-sparse.bin"
for run in "local 1g.bin" "s3 256m-sparse.bin" "s3 1g.bin"; do
  read -r target file <<<"$run"
  if [ "$target" = s3 ]; then start_node "${s3[@]}" --s3-prefix "mem-$file/"; else start_node --root "$work/root"; fi
  before=$(peak_kib "$node_pid")
  curl -s -S -T "$work/$file" "ftp://alice:secret@127.0.0.1:$node_port/$file"
  printf '   %-5s %-18s peak RSS before %6d KiB, after the upload %6d KiB\n' "$target" "$file" "$before" "$(peak_kib "$node_pid")"
  kill "$node_pid"; wait "$node_pid" 2>/dev/null || true
done
rm -f "$work/root/1g.bin"

echo "2. throughput of 256 MiB (curl, one upload and one download each, two rounds alternating local and S3)"
head -c 268435456 /dev/urandom > "$work/256m.bin"
start_node --root "$work/root"; local_port=$node_port
start_node "${s3[@]}" --s3-prefix speed/; s3_port=$node_port
for target in local s3 local s3; do
  port=$([ "$target" = local ] && echo "$local_port" || echo "$s3_port")
  t0=$(seconds); curl -s -S -T "$work/256m.bin" "ftp://alice:secret@127.0.0.1:$port/256m.bin"; t1=$(seconds)
  curl -s -S -o "$work/down.bin" "ftp://alice:secret@127.0.0.1:$port/256m.bin"; t2=$(seconds)
  cmp -s "$work/256m.bin" "$work/down.bin" || { echo "   $target: download differs" >&2; exit 1; }
  awk -v t="$target" -v u="$(echo "$t1 - $t0" | bc)" -v d="$(echo "$t2 - $t1" | bc)" 'BEGIN { printf "   %-5s  upload %7.1f MiB/s, download %7.1f MiB/s\n", t, 256/u, 256/d }'
done

echo "3. 200 concurrent sessions through HAProxy (login, download 64 KiB, quit): wall time"
head -c 65536 /dev/urandom > "$work/64k.bin"
curl -s -S -T "$work/64k.bin" "ftp://alice:secret@127.0.0.1:$s3_port/64k.bin"
start_node "${s3[@]}" --s3-prefix speed/ --proxy-protocol --trusted-proxy 127.0.0.1 --passive-address 127.0.0.10 --passive-ports 31000-31199; a=$node_port
start_node "${s3[@]}" --s3-prefix speed/ --proxy-protocol --trusted-proxy 127.0.0.1 --passive-address 127.0.0.10 --passive-ports 31200-31399; b=$node_port
front=$(free_port)
# The first round warms both nodes and is not reported: a node's first check of a password is a full key
# derivation, paced per client address (four waiting at most, then 421), and all 200 sessions come from one address.
for nodes in warm 2 1 2 1; do
  servers="    server a 127.0.0.1:$a send-proxy-v2"$'\n'
  [ "$nodes" != 1 ] && servers+="    server b 127.0.0.1:$b send-proxy-v2"$'\n'
  cat > "$work/haproxy.cfg" <<CFG
global
    maxconn 2000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend ftp
    bind 127.0.0.10:$front
    default_backend nodes
backend nodes
    balance roundrobin
$servers
frontend passive_a
    bind 127.0.0.10:31000-31199
    default_backend passive_a
backend passive_a
    server a 127.0.0.1 send-proxy-v2
frontend passive_b
    bind 127.0.0.10:31200-31399
    default_backend passive_b
backend passive_b
    server b 127.0.0.1 send-proxy-v2
CFG
  "$haproxy" -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & hp=$!; pids+=("$hp")
  for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.10/$front") 2>/dev/null && break; sleep 0.05; done
  t0=$(seconds)
  failed=$(seq 200 | xargs -P 200 -I{} sh -c "curl -s -S -o /dev/null --max-time 30 'ftp://alice:secret@127.0.0.10:$front/64k.bin' 2>>$work/curl-errors.log || echo x" | wc -l); sort "$work/curl-errors.log" 2>/dev/null | uniq -c | sed "s/^/      /"; : > "$work/curl-errors.log"
  t1=$(seconds)
  kill "$hp"; wait "$hp" 2>/dev/null || true
  [ "$nodes" = warm ] && { echo "   warm-up round (two nodes): $failed of 200 failed"; continue; }
  awk -v n="$nodes" -v s="$(echo "$t1 - $t0" | bc)" -v f="$failed" 'BEGIN { printf "   %d node(s): %5.2f s for 200 sessions, %d failed\n", n, s, f }'
done
