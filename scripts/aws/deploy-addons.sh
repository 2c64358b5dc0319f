#!/usr/bin/env bash
# The add-ons stack: Load Balancer Controller, Cluster Autoscaler, metrics-server (Helm), gp3 StorageClasses.
# Needs the cluster from deploy-infra. The spec calls this verb install-alb-controller: that name
# is an alias (install-alb-controller.sh sources this).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: $SCRIPT_NAME.sh [--yes] [--outdir=DIR]
  Deploys the add-ons stack (AWS Load Balancer Controller, Cluster Autoscaler, metrics-server, gp3 StorageClasses).
  --yes  apply without showing the plan for approval
$ALLOW_REPLACE_HELP"
parse_yes "$@"

step "prerequisites"
require_tools aws terraform
load_config
require_credentials
require_cluster

step "apply ${CFG[STACK_ADDONS]}"
run_engine apply "${CFG[STACK_ADDONS]}"

finish
