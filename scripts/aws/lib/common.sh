# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR/.. # scripts/aws, so that the source= paths below are lib/*.sh
# Helpers shared by scripts/aws/*.sh: the one file a verb sources; it sources the rest of lib/.
# Sourced, never run on its own.
#
# Conventions of every script:
#   - progress goes to stderr, one "==> [mm:ss] step" line per step (elapsed since start);
#   - results meant for other programs (build-push's tag, smoke-checks' verdicts) go to stdout;
#   - exit 0: done; 1: a step failed (the step is named); 2: bad usage, bad configuration or a
#     missing prerequisite (nothing was changed).
#   - settings are the FACTORY_* variables of config/index.ts, validated by it (scripts/print-config.ts);
#     script-only knobs are command-line options.
#   - stacks are applied and destroyed by scripts/platform-engine.ts (cdktf synth once, then Terraform per
#     stack, verified after each run); --outdir DIR puts its synthesized output elsewhere than
#     the project root.
#   - a function that computes a value prints it on stdout (x="$(fn)"); one that sets a global
#     names it in its header comment.
#
# The library, in the order it is sourced:
#   output.sh    progress lines, errors and the last line (the EXIT trap)
#   config.sh    the validated configuration (CFG) and the AWS CLI in its region and profile
#   prereqs.sh   tool, credential, image and cluster prerequisites
#   options.sh   the options the verbs share (--yes, --outdir, --allow-replace, waits) and usage
#   engine.sh    scripts/platform-engine.ts: apply, destroy, unlock and the read-only plan of drift and diff
#   cluster.sh   the EKS cluster's kubectl context and the ingress's load balancer
#   volumes.sh   the data stores' claims: grown in place when their size setting grows

# PREREQ_EXIT: drift and diff set it to 1 before sourcing (their exit 2 means "drifted").
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 404)); then
  echo "$(basename "$0"): missing prerequisite: bash >= 4.4 (this is $BASH_VERSION; on macOS: brew install bash)" >&2
  exit "${PREREQ_EXIT:-2}"
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SCRIPT_NAME="$(basename "$0" .sh)"
readonly EXIT_FAILED=1 EXIT_USAGE=2

# shellcheck source=lib/output.sh
source "$ROOT/scripts/aws/lib/output.sh"
# shellcheck source=lib/config.sh
source "$ROOT/scripts/aws/lib/config.sh"
# shellcheck source=lib/prereqs.sh
source "$ROOT/scripts/aws/lib/prereqs.sh"
# shellcheck source=lib/options.sh
source "$ROOT/scripts/aws/lib/options.sh"
# shellcheck source=lib/engine.sh
source "$ROOT/scripts/aws/lib/engine.sh"
# shellcheck source=lib/cluster.sh
source "$ROOT/scripts/aws/lib/cluster.sh"
# shellcheck source=lib/volumes.sh
source "$ROOT/scripts/aws/lib/volumes.sh"
