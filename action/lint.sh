#!/usr/bin/env bash
# The Lint step of action.yml. Inputs arrive as INPUT_* environment variables
# (never spliced into the script, so a branch name cannot inject commands).
# Writes the outputs sarif-file, findings and exit-code, the job summary, and
# exits with kumalint's exit code, which follows fail-on.
set -uo pipefail

base="${INPUT_BASE:-}"
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target)
    if [ -z "$base" ]; then base="${EVENT_BASE_SHA:-}"; fi ;;
esac
if [ -n "$base" ] && ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  # actions/checkout fetches one commit by default; PR mode needs the base too.
  echo "kumalint: fetching the base commit $base"
  git fetch --no-tags --depth=1 origin "$base" ||
    echo "::warning title=kumalint::could not fetch the base commit $base; use actions/checkout with fetch-depth: 0"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

read -ra paths <<< "${INPUT_PATHS:-.}"
read -ra extra <<< "${INPUT_ARGS:-}"
common=()
if [ -n "${INPUT_CONFIG:-}" ]; then common+=(--config "$INPUT_CONFIG"); fi

# Each --output belongs to the --format in the same position; - is the log.
args=(lint "${common[@]}" --fail-on "${INPUT_FAIL_ON:-error}"
  --format text --output -
  --format sarif --output "${INPUT_SARIF_FILE:-kumalint.sarif}"
  --format json --output "$tmp/report.json"
  --format markdown --output "$tmp/summary.md")
if [ -n "$base" ]; then args+=(--base "$base"); fi
if [ "${INPUT_ANNOTATIONS:-false}" = true ]; then args+=(--format github); fi

"$KUMALINT" "${args[@]}" "${extra[@]}" -- "${paths[@]}"
code=$?

findings=""
if [ -s "$tmp/report.json" ]; then
  if command -v jq > /dev/null; then
    findings="$(jq '[.findings[] | select(.existing != true)] | length' "$tmp/report.json")"
  else
    findings="$(python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if not f.get("existing")))' "$tmp/report.json")"
  fi
fi

if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    if [ -s "$tmp/summary.md" ]; then cat "$tmp/summary.md"; else echo "## kumalint could not run (exit code $code)"; fi
    if "$KUMALINT" graph "${common[@]}" --format mermaid -- "${paths[@]}" > "$tmp/graph.mmd" 2> /dev/null || [ -s "$tmp/graph.mmd" ]; then
      printf '\n<details><summary>Topology</summary>\n\n```mermaid\n'
      cat "$tmp/graph.mmd"
      printf '```\n\n</details>\n'
    fi
  } >> "$GITHUB_STEP_SUMMARY"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    if [ -s "${INPUT_SARIF_FILE:-kumalint.sarif}" ]; then echo "sarif-file=${INPUT_SARIF_FILE:-kumalint.sarif}"; fi
    echo "findings=$findings"
    echo "exit-code=$code"
  } >> "$GITHUB_OUTPUT"
fi
exit "$code"
