#!/usr/bin/env bash
# Every test tier, in order; what `npm test` runs and what CI runs. Installs what the tiers need
# on a fresh machine (Debian's prometheus for promtool, the Python venv for the trainer), prints
# each tier's own output, and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
skipped=0
summary=()

tally() { # tier passed failed skipped
  passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + ${4:-0}))
  summary+=("$(printf '%-10s %4d passed, %d failed, %d skipped' "$1" "$2" "$3" "${4:-0}")")
}

step() { # tier command...: a step that counts as one check
  local tier=$1; shift
  echo "=== $tier: $*"
  if "$@"; then tally "$tier" 1 0; else tally "$tier" 0 1; fi
}

mocha_tier() { # tier config
  local tier=$1 out
  echo "=== $tier (mocha)"
  out=$(mktemp)
  # A tier that never ends (a handle left open after the last test) fails here, named, instead
  # of holding CI until its own limit.
  timeout --kill-after=30 "${TIER_TIMEOUT_S:-1500}" npx mocha --config "$2" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then echo "=== $tier did not finish within ${TIER_TIMEOUT_S:-1500} s: counted as a failure"; fi
  local p f s
  p=$(grep -Eo '^ +[0-9]+ passing' "$out" | grep -Eo '[0-9]+' | tail -1)
  f=$(grep -Eo '^ +[0-9]+ failing' "$out" | grep -Eo '[0-9]+' | tail -1)
  s=$(grep -Eo '^ +[0-9]+ pending' "$out" | grep -Eo '[0-9]+' | tail -1)
  p=${p:-0}; f=${f:-0}; s=${s:-0}
  # A crash before any test ran still counts as a failure.
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  tally "$tier" "$p" "$f" "$s"
  rm -f "$out"
}

ensure_apt() { # package command
  command -v "$2" >/dev/null 2>&1 && return 0
  echo "--- installing Debian package $1 (for $2)"
  if [[ $(id -u) -ne 0 ]]; then echo "not root: install $1 yourself"; return 1; fi
  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}

ensure_apt prometheus promtool || echo "warning: promtool unavailable; the metrics lint test will fail"

step typecheck npx tsc --noEmit -p .
step lint npx eslint .
step build node esbuild.mjs

# The trainer's Python environment (CPU torch, transformers, peft): the contract tier's runs,
# the trainer tier and the e2e tier train for real.
echo "=== python environment"
python_ok=0
bash scripts/python-env.sh && python_ok=1

mocha_tier unit test/.mocharc.unit.json
mocha_tier contract test/.mocharc.contract.json
# Fault injection (issue 10): links, bad text, runtime-folder and framing attacks, kill -9 and
# disk faults; ends with its counts. FAULT_LONG=1 (npm run bench) runs the long variants.
mocha_tier fault test/.mocharc.fault.json
mocha_tier webview test/.mocharc.webview.json

# The openai judge against a real llama.cpp server (llama-cpp-python, compiled once and cached in
# ~/.cache/finetune-flywheel by scripts/llm-server-env.sh) serving a tiny GGUF made offline. Its
# tests are skipped, with the reason printed, only where the package cannot be built.
mocha_tier llm test/.mocharc.llm.json

echo "=== trainer (pytest)"
if [[ $python_ok -eq 1 ]]; then
  out=$(mktemp)
  HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false .venv/bin/python -m pytest test/trainer -q -p no:cacheprovider 2>&1 | tee "$out"
  line=$(grep -E '[0-9]+ (passed|failed)' "$out" | tail -1)
  p=$(grep -Eo '[0-9]+ passed' <<<"$line" | grep -Eo '[0-9]+'); f=$(grep -Eo '[0-9]+ failed' <<<"$line" | grep -Eo '[0-9]+')
  e=$(grep -Eo '[0-9]+ errors?' <<<"$line" | grep -Eo '[0-9]+'); s=$(grep -Eo '[0-9]+ skipped' <<<"$line" | grep -Eo '[0-9]+')
  f=$(( ${f:-0} + ${e:-0} ))
  [[ -z $line ]] && f=1
  tally trainer "${p:-0}" "$f" "${s:-0}"
  rm -f "$out"
  mocha_tier e2e test/.mocharc.e2e.json
else
  echo "could not set up the Python environment (scripts/python-env.sh)"
  tally trainer 0 1
  tally e2e 0 1
fi

# A real VS Code: the packaged .vsix in code-server, driven through Chromium by Playwright.
if [[ $python_ok -eq 1 ]]; then
  mocha_tier vscode test/.mocharc.vscode.json
else
  tally vscode 0 1
fi

# The @vscode/test-electron suite needs a VS Code download (not possible here): it says so and
# counts as skipped; where VS Code can be had it runs, and its exit code decides.
echo "=== electron (@vscode/test-electron)"
out=$(mktemp)
timeout 900 npm run -s test:electron 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
if grep -q '^test:electron: 0 passed, 0 failed, 1 skipped' "$out"; then tally electron 0 0 1
elif [[ $rc -eq 0 ]]; then tally electron 1 0
else tally electron 0 1
fi
rm -f "$out"

# A real Ray cluster (issue 11): ray[default,train] and the trainer's requirements installed once
# into a venv cached in ~/.cache/finetune-flywheel by scripts/ray-env.sh; a head and a worker node
# on loopback (1 CPU each, ports of their own), stopped by the tier; the daemon's Ray runner trains
# across them. Skipped, with the reason printed, only where Ray cannot be installed.
mocha_tier ray test/ray/.mocharc.json

# Real Docker engine (started on its own socket and data root), a base image made with
# debootstrap, the trainer image built from docker/, real containers. Needs root (apt, dockerd).
if [[ $(id -u) -eq 0 ]]; then
  mocha_tier docker test/docker/.mocharc.json
else
  echo "=== docker: skipped — it starts its own dockerd and needs root (run: sudo npx mocha --config test/docker/.mocharc.json)"
  tally docker 0 0 1
fi

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
