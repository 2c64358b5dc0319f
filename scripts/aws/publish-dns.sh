#!/usr/bin/env bash
# The dns stack: the hostname's alias to the ingress's ALB. Waits (bounded) for the AWS Load
# Balancer Controller to have created the ALB, which the stack looks up by name.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: publish-dns.sh [--yes] [--outdir=DIR] [--wait-timeout SECONDS] [--poll-interval SECONDS]
  Waits for the ingress's load balancer, then deploys the dns stack.
  --yes                    apply without showing the plan for approval
  --wait-timeout SECONDS   how long to wait for the load balancer (default 600)
  --poll-interval SECONDS  between checks (default 10)
$ALLOW_REPLACE_HELP"
WAIT_TIMEOUT=600
POLL_INTERVAL=10
parse_wait_options "$@"

step "prerequisites"
require_tools aws terraform
load_config
require_credentials

step "wait for load balancer ${CFG[ALB_NAME]}"
wait_for_alb "$WAIT_TIMEOUT" "$POLL_INTERVAL"

step "apply ${CFG[STACK_DNS]} (${CFG[HOSTNAME]})"
run_engine apply "${CFG[STACK_DNS]}"

finish
