# Shared by bench/npm-compare and bench/npm-run (sourced, not run): a temporary folder with a trap
# that stops what was started and removes it, Verdaccio 6.8.0 installed from the npm registry into
# it and started on loopback (htpasswd, one user made with `npm adduser`), and Coffer started with
# ./coffer on a free port (an npm repository, a user with r/w/d on it and an access key for npm's
# _authToken). The caller sets `here` (the repository root) and `WORK_PREFIX` first.
#
# Settings (environment): VERDACCIO_VERSION (6.8.0), VERDACCIO_TOKENS (jwt: API tokens are JWTs,
# Verdaccio's fast configuration; legacy: its default AES tokens, which re-check the password on
# every request), VERDACCIO_DIR (use the Verdaccio installed there with --prefix instead of
# installing it again), COFFER_JAVA_OPTS (passed to ./coffer), KEEP=1 keeps the temporary folder.

VERDACCIO_VERSION=${VERDACCIO_VERSION:-6.8.0}
VERDACCIO_TOKENS=${VERDACCIO_TOKENS:-jwt}
NPM_USER=bench
NPM_PASSWORD=bench-password-1
ADMIN_PASSWORD=bench-admin-password-1
NPM_REPO=npm-local

log() { printf '[%s %s] %s\n' "${LOG_NAME:-npm}" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for t in node npm curl python3; do command -v $t >/dev/null 2>&1 || die "$t is needed"; done

work=$(mktemp -d "/tmp/${WORK_PREFIX:-coffer-npm}.XXXXXX")
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  if [ "${KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 200); do
    # below the kernel's ephemeral range, so no client connection holds the port already
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo $p; return; fi
  done
  die "no free port"
}

# npm with its own config and cache, never the user's ~/.npmrc: npmc USERCONFIG CACHE args...
npmc() {
  local uc=$1 cache=$2; shift 2
  npm --userconfig "$uc" --cache "$cache" --no-update-notifier --no-audit --no-fund "$@"
}

# ---------------------------------------------------------------- Verdaccio
install_verdaccio() {
  local reg
  if [ -n "${VERDACCIO_DIR:-}" ]; then # an earlier install, for reruns while changing a script
    VERDACCIO_BIN="$VERDACCIO_DIR/node_modules/verdaccio/bin/verdaccio"
    [ -f "$VERDACCIO_BIN" ] || die "no Verdaccio in VERDACCIO_DIR=$VERDACCIO_DIR"
    return
  fi
  # the public registry the machine's npm is set up for (a global npmrc may name a mirror)
  reg=$(npm config get registry --userconfig /dev/null 2>/dev/null || echo https://registry.npmjs.org/)
  log "installing verdaccio@$VERDACCIO_VERSION from $reg into $work/verdaccio"
  if ! npmc /dev/null "$work/install-cache" install --prefix "$work/verdaccio" --registry "$reg" \
      "verdaccio@$VERDACCIO_VERSION" >"$work/verdaccio-install.log" 2>&1; then
    tail -n 20 "$work/verdaccio-install.log" >&2
    log "================================================================"
    log "THE NPM REGISTRY ($reg) COULD NOT BE REACHED OR verdaccio@$VERDACCIO_VERSION"
    log "DID NOT INSTALL: nothing was compared. See the npm output above."
    log "================================================================"
    exit 3
  fi
  VERDACCIO_BIN="$work/verdaccio/node_modules/verdaccio/bin/verdaccio"
  [ -f "$VERDACCIO_BIN" ] || die "verdaccio installed, but $VERDACCIO_BIN is missing"
}

start_verdaccio() {
  VPORT=$(free_port)
  V=http://127.0.0.1:$VPORT
  local d="$work/v" security=""
  mkdir -p "$d/storage"
  if [ "$VERDACCIO_TOKENS" = jwt ]; then
    security=$'security:\n  api:\n    jwt:\n      sign:\n        expiresIn: 7d\n'
  fi
  # local packages only (no uplink: nothing leaves the machine), readable and writable by
  # authenticated users like Coffer's repository; logging at warn, as a server under load runs it
  cat >"$d/config.yaml" <<EOF
storage: $d/storage
auth:
  htpasswd:
    file: $d/htpasswd
uplinks: {}
packages:
  '@*/*':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
  '**':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
server:
  keepAliveTimeout: 60
${security}log: { type: stdout, format: pretty, level: warn }
EOF
  log "starting Verdaccio $VERDACCIO_VERSION on $V (node $(node -v), tokens: $VERDACCIO_TOKENS)"
  node "$VERDACCIO_BIN" --config "$d/config.yaml" --listen "127.0.0.1:$VPORT" >"$work/verdaccio.log" 2>&1 &
  VPID=$!
  pids+=($VPID)
  for _ in $(seq 300); do
    curl -fs -o /dev/null "$V/-/ping" 2>/dev/null && break
    kill -0 "$VPID" 2>/dev/null || { cat "$work/verdaccio.log" >&2; die "Verdaccio did not start"; }
    sleep 0.2
  done
  curl -fs -o /dev/null "$V/-/ping" || die "Verdaccio did not answer /-/ping"
}

# `npm adduser` or `npm login` (legacy: username, password, email prompts) with the bench user's
# answers. npm reads each prompt with a new readline that takes whatever is buffered, so answers
# sent all at once are swallowed by the first: each is typed on a pseudo-terminal once its prompt
# shows. Prints npm's output; the exit status is npm's.
npm_prompted() { # USERCONFIG CACHE adduser|login args...
  local uc=$1 cache=$2; shift 2
  python3 - "$NPM_USER" "$NPM_PASSWORD" "$NPM_USER@example.invalid" \
    npm --userconfig "$uc" --cache "$cache" --no-update-notifier --auth-type=legacy "$@" <<'PY'
import os, pty, re, select, sys, time
answers, argv = sys.argv[1:4], sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
prompts = [b'Username:', b'Password:', b'Email']  # npm 11: 'Email (this will be public):'
seen, out, deadline = b'', b'', time.monotonic() + 60
while time.monotonic() < deadline:
    r, _, _ = select.select([fd], [], [], 1)
    if not r:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    seen += chunk
    if prompts and prompts[0].lower() in seen.lower():
        seen = b''
        prompts.pop(0)
        os.write(fd, answers[2 - len(prompts)].encode() + b'\n')
text = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', out.decode(errors='replace'))
sys.stdout.write(text.replace(answers[1], '***'))
try:
    os.kill(pid, 9) if time.monotonic() >= deadline else None
except ProcessLookupError:
    pass
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8)
PY
}

# `npm adduser` against Verdaccio, answering its prompts on standard input; leaves the token in
# the user config VUC (npm writes it there) and in VTOKEN.
verdaccio_adduser() {
  VUC="$work/verdaccio.npmrc"
  printf 'registry=%s/\n' "$V" >"$VUC"
  npm_prompted "$VUC" "$work/adduser-cache" adduser --registry "$V/" >"$work/adduser.log" 2>&1 \
    || { cat "$work/adduser.log" >&2; die "npm adduser against Verdaccio failed"; }
  VTOKEN=$(sed -n 's/^.*:_authToken=//p' "$VUC" | head -n1)
  [ -n "$VTOKEN" ] || { cat "$work/adduser.log" "$VUC" >&2; die "npm adduser left no _authToken"; }
}

# ---------------------------------------------------------------- Coffer
start_coffer() {
  local jar="$here/target/coffer.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    log "building $jar"
    (cd "$here" && ./mvnw -B -q -DskipTests package >&2)
  fi
  CPORT=$(free_port)
  C=http://127.0.0.1:$CPORT
  log "starting Coffer on $C with ./coffer${COFFER_JAVA_OPTS:+ (COFFER_JAVA_OPTS=$COFFER_JAVA_OPTS)}"
  # ./coffer execs the JVM, so this is its pid
  COFFER_ADMIN_PASSWORD=$ADMIN_PASSWORD "$here/coffer" serve \
    --host 127.0.0.1 --port "$CPORT" --data "$work/coffer-data" >"$work/coffer.log" 2>&1 &
  CPID=$!
  pids+=($CPID)
  for _ in $(seq 300); do
    curl -fs -o /dev/null "$C/api/health" 2>/dev/null && break
    kill -0 "$CPID" 2>/dev/null || { cat "$work/coffer.log" >&2; die "Coffer did not start"; }
    sleep 0.2
  done
  curl -fs -o /dev/null "$C/api/health" || die "Coffer did not answer /api/health"
  CJAVA=$(readlink -f "/proc/$CPID/exe" 2>/dev/null || echo java)

  local A=(-u "admin:$ADMIN_PASSWORD") json='Content-Type: application/json'
  curl -fsS "${A[@]}" -X PUT "$C/api/repositories/$NPM_REPO" -H "$json" -d '{"packageType":"npm"}' >/dev/null \
    || die "could not create the npm repository"
  curl -fsS "${A[@]}" -X PUT "$C/api/users/$NPM_USER" -H "$json" -d "{\"password\":\"$NPM_PASSWORD\"}" >/dev/null \
    || die "could not create the user"
  curl -fsS "${A[@]}" -X PUT "$C/api/permissions/npm-bench" -H "$json" \
    -d "{\"repositories\":[\"$NPM_REPO\"],\"includePatterns\":[\"**\"],\"users\":{\"$NPM_USER\":[\"r\",\"w\",\"d\"]}}" >/dev/null \
    || die "could not create the permission target"
  CTOKEN=$(curl -fsS -u "$NPM_USER:$NPM_PASSWORD" -X POST "$C/api/access-keys" -H "$json" \
    -d '{"description":"npm bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])') \
    || die "could not create an access key"
  CREG="$C/api/npm/$NPM_REPO/"
  CUC="$work/coffer.npmrc"
  printf 'registry=%s\n//127.0.0.1:%s/api/npm/%s/:_authToken=%s\n' "$CREG" "$CPORT" "$NPM_REPO" "$CTOKEN" >"$CUC"
}
