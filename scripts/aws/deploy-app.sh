#!/usr/bin/env bash
# The app stack: namespace, workloads and ingress, at FACTORY_IMAGE_TAG. Needs the add-ons
# (deploy-addons) and the four images in ECR (build-push).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: FACTORY_IMAGE_TAG=<tag> deploy-app.sh [--yes] [--outdir=DIR] [--wait-timeout S] [--poll-interval S]
  Deploys the app stack with the images tagged FACTORY_IMAGE_TAG (build-push prints it; unset:
  the tag the app stack runs now), then
  grows each data store's volume whose FACTORY_<STORE>_STORAGE grew (online, in place).
  --yes              apply without showing the plan for approval
  --wait-timeout S   how long a volume may take to grow (default 900)
  --poll-interval S  seconds between checks of a growing volume (default 10)
$ALLOW_REPLACE_HELP"
WAIT_TIMEOUT=900
POLL_INTERVAL=10
parse_wait_options "$@"

step "prerequisites"
require_tools aws terraform kubectl
load_config
require_credentials
resolve_image_tag required
require_image_tag "$EXIT_USAGE"
require_cluster
use_cluster
refuse_shrinking_volumes

step "apply ${CFG[STACK_APP]} (images ${CFG[IMAGE_TAG]})"
run_engine apply "${CFG[STACK_APP]}"

step "data store volumes"
grow_data_volumes "$WAIT_TIMEOUT" "$POLL_INTERVAL"

finish
