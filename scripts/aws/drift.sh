#!/usr/bin/env bash
# Plans every deployed stack, read-only: does the platform still match its code?
# The plans run side by side (no lock taken, nothing applied, no approval asked); it prints a
# table: in sync, what would be added, changed or destroyed, or not deployed (no state: not an
# error). A drifted stack is brought back by the verb that deploys it (deploy-infra, deploy-addons,
# deploy-app, publish-dns), or the code is changed to match; `npm run diff -- <stack>` shows its whole plan.
# Exit: 0 every deployed stack in sync; 2 something drifted; 1 an error (bad usage included).
set -euo pipefail
PREREQ_EXIT=1
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
trap 'plan_verb_exit $?' EXIT

USAGE="usage: drift.sh [--outdir=DIR]
  Plans every deployed stack (read-only) and reports those that differ from the code.
  --outdir=DIR   synthesize into DIR (default: cdktf.out in the project root)
  Exit 0: in sync; 2: drifted; 1: error."
parse_yes "$@"
if ((ASSUME_YES || ${#ALLOW_REPLACE[@]})); then usage "$EXIT_USAGE" "drift applies nothing: --yes and --allow-replace do not apply"; fi

step "prerequisites"
require_tools aws terraform
load_config
require_credentials
# The app stack plans at the tag it runs (or FACTORY_IMAGE_TAG's), whose images must be in ECR.
resolve_image_tag optional "$EXIT_FAILED"
if [[ -n "${CFG[IMAGE_TAG]}" ]]; then require_image_tag "$EXIT_FAILED"; fi

step "plan every deployed stack (read-only)"
mapfile -t ALL_STACKS < <(all_stacks)
run_plan "${ALL_STACKS[@]}"
