#!/usr/bin/env bash
# The AWS foundation: state bootstrap (idempotent), then network, eks, ecr and cert in one
# `cdktf deploy` (cdktf orders them: eks reads the network).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: deploy-infra.sh [--yes]
  Deploys the state bucket (once), then the network, eks, ecr and cert stacks.
  --yes  apply without showing each plan for approval"
parse_yes "$@"

step "prerequisites"
require_tools aws terraform
load_config
require_credentials

bootstrap_state

step "deploy $CFG_STACK_NETWORK $CFG_STACK_EKS $CFG_STACK_ECR $CFG_STACK_CERT"
cdktf_deploy "$CFG_STACK_NETWORK" "$CFG_STACK_EKS" "$CFG_STACK_ECR" "$CFG_STACK_CERT" --ignore-missing-stack-dependencies

finish
