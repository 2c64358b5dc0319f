#!/usr/bin/env bash
# install-alb-controller: the spec's name for deploy-addons, kept as its alias. It deploys the whole
# add-ons stack (the controller, the Cluster Autoscaler, metrics-server, the StorageClasses), not
# only the controller. Sourced rather than run, so its messages and usage name the verb as typed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=deploy-addons.sh
source "$(dirname "${BASH_SOURCE[0]}")/deploy-addons.sh"
