#!/usr/bin/env bash
# End to end: the state bootstrap, then every other stack in one `cdktf deploy`, which orders them
# by their dependencies (network, eks, ecr, cert, addons, app, dns; see README's diagram) and stops
# at the first failure. The app stack waits for its ingress's load balancer, so dns finds it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: FACTORY_IMAGE_TAG=<tag> deploy-all.sh [--yes]
  Deploys every stack in order. The images at FACTORY_IMAGE_TAG must be in ECR: on a new account
  run deploy-infra.sh, then build-push.sh, then this.
  --yes  apply without showing each plan for approval"
parse_yes "$@"

step "prerequisites"
require_tools aws terraform
load_config
require_credentials
require_image_tag

bootstrap_state

step "deploy $CFG_STACK_NETWORK $CFG_STACK_EKS $CFG_STACK_ECR $CFG_STACK_CERT $CFG_STACK_ADDONS $CFG_STACK_APP $CFG_STACK_DNS (in dependency order)"
cdktf_deploy "$CFG_STACK_NETWORK" "$CFG_STACK_EKS" "$CFG_STACK_ECR" "$CFG_STACK_CERT" "$CFG_STACK_ADDONS" "$CFG_STACK_APP" "$CFG_STACK_DNS" \
  --ignore-missing-stack-dependencies

finish
info "next: npm run smoke-checks"
