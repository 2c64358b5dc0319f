#!/usr/bin/env bash
# The AWS foundation: the state bucket, then network, ecr, cert and backup side by side, eks once the
# network has state, and monitoring after eks. In one run of scripts/platform-engine.ts: the state
# bucket's bootstrap stack's state moves into the bucket once it exists, and eks reads the network's
# outputs. Re-running it converges: a stack without changes is left alone, and one whose last
# apply was cut off adopts what that apply created (scripts/platform-engine.ts).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: deploy-infra.sh [--yes] [--outdir=DIR]
  Deploys the state bucket (once), then the network, ecr, cert and backup stacks, eks, and monitoring.
  --yes          apply without showing each plan for approval (independent stacks go side by side)
  --outdir=DIR   synthesize into DIR (default: cdktf.out in the project root)
$ALLOW_REPLACE_HELP"
parse_yes "$@"

step "prerequisites"
require_tools aws terraform
load_config
require_credentials

mapfile -t INFRA_STACKS < <(infra_stacks)
step "apply ${CFG[STACK_STATE]}, then ${CFG[STACK_NETWORK]} ${CFG[STACK_ECR]} ${CFG[STACK_CERT]} ${CFG[STACK_BACKUP]} ${CFG[STACK_MONITORING]}, then ${CFG[STACK_EKS]}"
run_engine apply "${INFRA_STACKS[@]}"

finish
