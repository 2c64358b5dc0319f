# shellcheck shell=bash
# Output: progress lines and errors on stderr, and the last line's contract (the EXIT trap says
# where and why a verb failed; finish says it is done). Sourced by common.sh.

# CURRENT_STEP: the step under way, which the last line names on failure (set by step, cleared by
# finish and by verbs that end with their own last line).
CURRENT_STEP=""
# scripts/platform-engine.ts writes the reason of a failure here; the last line repeats it.
FACTORY_RESULT_FILE="$(mktemp "${TMPDIR:-/tmp}/factory-result.XXXXXX")"
export FACTORY_RESULT_FILE

# A verb run by another (deploy-all) goes on with its clock.
if [[ "${FACTORY_ELAPSED_BASE:-}" =~ ^[0-9]+$ ]]; then SECONDS=$FACTORY_ELAPSED_BASE; fi

# elapsed: prints the time since the start, mm:ss.
elapsed() {
  local s=$((SECONDS))
  printf '%02d:%02d' $((s / 60)) $((s % 60))
}

# step TEXT...: a progress line; sets CURRENT_STEP.
step() {
  CURRENT_STEP="$*"
  printf '==> [%s] %s\n' "$(elapsed)" "$*" >&2
}

info() { printf '    %s\n' "$*" >&2; }

# die CODE MESSAGE...: the error on stderr, then exit CODE. Inside "$(...)" this ends the subshell
# only: the caller's assignment fails with CODE and set -e ends the verb with it, so assign on a
# line of its own (never `local x="$(...)"`, whose status is local's).
die() {
  local code=$1
  shift
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit "$code"
}

# on_exit STATUS (the EXIT trap): the last line when a step failed, or when a usage or
# prerequisite failure left a reason in FACTORY_RESULT_FILE; removes that file.
on_exit() {
  local status=$1 reason=""
  if [[ -s "$FACTORY_RESULT_FILE" ]]; then reason=": $(<"$FACTORY_RESULT_FILE")"; fi
  rm -f "$FACTORY_RESULT_FILE"
  # Exit 2 (usage, configuration, prerequisite) has said why already and changed nothing.
  if ((status != 0 && status != EXIT_USAGE)) && [[ -n "$CURRENT_STEP" ]]; then
    printf '%s: FAILED at step "%s" after %s (exit %d)%s\n' "$SCRIPT_NAME" "$CURRENT_STEP" "$(elapsed)" "$status" "$reason" >&2
  elif ((status == EXIT_USAGE)) && [[ -n "$reason" ]]; then
    printf '%s: stopped before any change (exit 2)%s\n' "$SCRIPT_NAME" "$reason" >&2
  fi
}
trap 'on_exit $?' EXIT

# finish: the last line of a verb that succeeded; clears CURRENT_STEP.
finish() {
  CURRENT_STEP=""
  printf '==> [%s] %s: done\n' "$(elapsed)" "$SCRIPT_NAME" >&2
}
