#!/usr/bin/env bash
# End to end: the state bucket's bootstrap stack, then every other stack in dependency order (README's diagram;
# independent stacks side by side with --yes), stopping at the first failure. The app stack waits
# for its ingress's load balancer, so dns finds it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: FACTORY_IMAGE_TAG=<tag> deploy-all.sh [--yes] [--outdir=DIR]
  Deploys every stack in order. The images at FACTORY_IMAGE_TAG (unset: the tag the app stack runs
  now) must be in ECR: on a new account run deploy-infra.sh, then build-push.sh, then this.
  --yes          apply without showing each plan for approval
  --outdir=DIR   synthesize into DIR (default: cdktf.out in the project root)
$ALLOW_REPLACE_HELP"
parse_yes "$@"

step "prerequisites"
require_tools aws terraform
load_config
require_credentials
resolve_image_tag required
require_image_tag "$EXIT_USAGE"

mapfile -t ALL_STACKS < <(all_stacks)
step "apply ${ALL_STACKS[*]} (in dependency order)"
run_stacks apply "${ALL_STACKS[@]}"

finish
info "next: npm run smoke-checks"
