#!/usr/bin/env bash
# The app stack: namespace, workloads and ingress, at FACTORY_IMAGE_TAG. Needs the add-ons
# (install-alb-controller) and the four images in ECR (build-push).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: FACTORY_IMAGE_TAG=<tag> deploy-app.sh [--yes] [--outdir=DIR]
  Deploys the app stack with the images tagged FACTORY_IMAGE_TAG (build-push prints it).
  --yes  apply without showing the plan for approval
$ALLOW_REPLACE_HELP"
parse_yes "$@"

step "prerequisites"
require_tools aws terraform
load_config
require_credentials
require_image_tag
require_cluster

step "apply ${CFG[STACK_APP]} (images ${CFG[IMAGE_TAG]})"
run_stacks apply "${CFG[STACK_APP]}"

finish
