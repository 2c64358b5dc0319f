#!/usr/bin/env bash
# Removes a stack's stale state lock (`unlock -- <stack>`), left behind by a Terraform killed mid-run.
# The lock is the object <stack>/terraform.tfstate.tflock in the state bucket. Refuses while a
# Terraform process on this machine still works on the stack, and when the lock was taken on
# another machine (unless --force): removing a live lock lets two runs write one state.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: unlock.sh STACK [--force]
  Removes the stale lock of STACK (e.g. attractor-factory-eks, or its short name eks).
  --force  also when the lock was taken on another machine (make sure no Terraform runs there)"
STACK=""
FORCE=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) FORCE=(--force) ;;
    -h | --help) usage 0 ;;
    -*) usage "$EXIT_USAGE" "unknown argument: $1" ;;
    *)
      if [[ -n "$STACK" ]]; then usage "$EXIT_USAGE" "one stack at a time (got $STACK and $1)"; fi
      STACK="$1"
      ;;
  esac
  shift
done
if [[ -z "$STACK" ]]; then usage "$EXIT_USAGE" "name the stack to unlock"; fi

step "prerequisites"
require_tools aws
load_config
require_credentials
if ! FULL="$(stack_name "$STACK")"; then
  usage "$EXIT_USAGE" "unknown stack $STACK (its state must be in ${CFG[STATE_BUCKET]})"
fi
STACK="$FULL"

step "unlock $STACK"
run_engine unlock "$STACK" "${FORCE[@]}"

finish
