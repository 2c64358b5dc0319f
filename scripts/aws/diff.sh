#!/usr/bin/env bash
# Shows one stack's whole plan (`diff -- <stack>`) against what is deployed, read-only.
# The whole `terraform plan` (no lock taken, nothing applied), as the deploy verbs would apply it;
# the destructive-plan guard's verdict included. Exit codes as drift's: 0 in sync (or not
# deployed), 2 changes, 1 error.
set -euo pipefail
PREREQ_EXIT=1
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
trap 'plan_verb_exit $?' EXIT

USAGE="usage: diff.sh STACK [--outdir=DIR]
  Shows the plan of STACK (e.g. attractor-factory-eks, or its short name eks).
  --outdir=DIR   synthesize into DIR (default: cdktf.out in the project root)
  Exit 0: no changes; 2: changes; 1: error."
STACK=""
ARGS=()
for arg in "$@"; do
  case "$arg" in
    -*) ARGS+=("$arg") ;;
    *)
      if [[ -n "$STACK" ]]; then usage "$EXIT_USAGE" "one stack at a time (got $STACK and $arg)"; fi
      STACK="$arg"
      ;;
  esac
done
parse_yes "${ARGS[@]}"
if ((ASSUME_YES || ${#ALLOW_REPLACE[@]})); then usage "$EXIT_USAGE" "diff applies nothing: --yes and --allow-replace do not apply"; fi
if [[ -z "$STACK" ]]; then usage "$EXIT_USAGE" "name the stack to diff"; fi

step "prerequisites"
require_tools aws terraform
load_config
if ! FULL="$(stack_name "$STACK")"; then usage "$EXIT_USAGE" "unknown stack $STACK (${CFG[STACKS]//,/, }, or their full names)"; fi
STACK="$FULL"
require_credentials
if [[ "$STACK" == "${CFG[STACK_APP]}" ]]; then
  # The app stack plans at the tag it runs (or FACTORY_IMAGE_TAG's), whose images must be in ECR.
  resolve_image_tag optional "$EXIT_FAILED"
  if [[ -n "${CFG[IMAGE_TAG]}" ]]; then require_image_tag "$EXIT_FAILED"; fi
fi

step "plan $STACK (read-only)"
run_plan --show "$STACK"
