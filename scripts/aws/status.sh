#!/usr/bin/env bash
# The platform's health on one screen, from the AWS APIs (scripts/status.ts).
# It shows alarms in ALARM, each data store's last completed backup and its age, the cluster's
# version and support type, node groups and running nodes per zone, the image tag the app runs,
# the certificate's expiry.
# Works on a partly deployed platform. Exit 0 healthy; 2 something in ALARM or overdue; 1 errors.
set -euo pipefail
PREREQ_EXIT=1
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# Its 2 means "unhealthy": a usage, configuration or prerequisite failure exits 1 (as drift's).
trap 'plan_verb_exit $?' EXIT

USAGE="usage: status.sh
  Prints the platform's health; exit 0 healthy, 2 something in ALARM or overdue, 1 an error."
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage 0 ;;
    *) usage "$EXIT_USAGE" "unknown argument: $1" ;;
  esac
done

require_tools aws
load_config
require_credentials
CURRENT_STEP=""
# shellcheck disable=SC2034 # read by plan_verb_exit: from here on a 2 is the verdict
PLAN_REPORTED=1
status=0
(cd "$ROOT" && exec node --require ./scripts/ts-register.js scripts/status.ts) || status=$?
exit "$status"
