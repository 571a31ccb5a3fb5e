#!/usr/bin/env bash
# Installs a real VS Code that runs here: code-server 4.100.3 (VS Code 1.100) from the npm
# registry, into a tools folder outside node_modules, plus Debian's Chromium for driving it.
# Idempotent: prints the code-server binary path on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${FLYWHEEL_TOOLS:-${HOME:-/root}/.cache/finetune-flywheel/code-server-4.100.3}"
BIN="$TOOLS/node_modules/.bin/code-server"
log() { printf '[code-server] %s\n' "$*" >&2; }

need_apt=()
for p in chromium ripgrep pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
done
if ((${#need_apt[@]})); then
  log "installing Debian packages: ${need_apt[*]}"
  [[ $(id -u) -eq 0 ]] || { log "not root: install ${need_apt[*]} yourself"; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [[ -x "$BIN" ]]; then
  log "up to date: $BIN"
else
  # @vscode/ripgrep's install step downloads rg from the internet; hand it Debian's instead.
  cache=/tmp/vscode-ripgrep-cache-1.15.11
  mkdir -p "$cache"
  [[ -f $cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz ]] || tar -C /usr/bin -czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
  mkdir -p "$TOOLS"
  log "installing code-server@4.100.3 into $TOOLS (about 2 minutes)"
  (cd "$TOOLS" && [[ -f package.json ]] || echo '{"private": true}' > "$TOOLS/package.json")
  (cd "$TOOLS" && npm_config_yes=true npm install --no-audit --no-fund --unsafe-perm code-server@4.100.3 >"$TOOLS/install.log" 2>&1) || {
    log "npm install failed; last lines of $TOOLS/install.log:"; tail -20 "$TOOLS/install.log" >&2; exit 1; }
fi
echo "$BIN"
