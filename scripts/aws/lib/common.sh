# shellcheck shell=bash
# Helpers shared by scripts/aws/*.sh. Sourced, never run on its own.
#
# Conventions of every script:
#   - progress goes to stderr, one "==> [mm:ss] step" line per step (elapsed since start);
#   - results meant for other programs (build-push's tag, smoke-checks' verdicts) go to stdout;
#   - exit 0: done; 1: a step failed (the step is named); 2: bad usage, bad configuration or a
#     missing prerequisite (nothing was changed).
#   - settings are the FACTORY_* variables of config.ts, validated by it (scripts/print-config.ts);
#     script-only knobs are command-line options.
#   - stacks are applied and destroyed by scripts/stacks.ts (cdktf synth once, then Terraform per
#     stack, verified after each run); --outdir DIR puts its synthesized output (and the bootstrap
#     stack's local state file, beside it) elsewhere than the project root.

# PREREQ_EXIT: drift and diff set it to 1 before sourcing (their exit 2 means "drifted").
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 404)); then
  echo "$(basename "$0"): missing prerequisite: bash >= 4.4 (this is $BASH_VERSION; on macOS: brew install bash)" >&2
  exit "${PREREQ_EXIT:-2}"
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SCRIPT_NAME="$(basename "$0" .sh)"
readonly EXIT_FAILED=1 EXIT_USAGE=2
CURRENT_STEP=""
ASSUME_YES=0
OUTDIR="$ROOT/cdktf.out"
# scripts/stacks.ts writes the reason of a failure here; the last line repeats it.
FACTORY_RESULT_FILE="$(mktemp "${TMPDIR:-/tmp}/factory-result.XXXXXX")"
export FACTORY_RESULT_FILE

# ---- output ------------------------------------------------------------------------------------

elapsed() {
  local s=$((SECONDS))
  printf '%02d:%02d' $((s / 60)) $((s % 60))
}

step() {
  CURRENT_STEP="$*"
  printf '==> [%s] %s\n' "$(elapsed)" "$*" >&2
}

info() { printf '    %s\n' "$*" >&2; }

die() {
  local code=$1
  shift
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit "$code"
}

on_exit() {
  local status=$1 reason=""
  if [[ -s "$FACTORY_RESULT_FILE" ]]; then reason=": $(<"$FACTORY_RESULT_FILE")"; fi
  rm -f "$FACTORY_RESULT_FILE"
  # Exit 2 (usage, configuration, prerequisite) has said why already and changed nothing.
  if ((status != 0 && status != EXIT_USAGE)) && [[ -n "$CURRENT_STEP" ]]; then
    printf '%s: FAILED at step "%s" after %s (exit %d)%s\n' "$SCRIPT_NAME" "$CURRENT_STEP" "$(elapsed)" "$status" "$reason" >&2
  elif ((status == EXIT_USAGE)) && [[ -n "$reason" ]]; then
    printf '%s: stopped before any change (exit 2)%s\n' "$SCRIPT_NAME" "$reason" >&2
  fi
}
trap 'on_exit $?' EXIT

finish() {
  CURRENT_STEP=""
  printf '==> [%s] %s: done\n' "$(elapsed)" "$SCRIPT_NAME" >&2
}

# ---- prerequisites -----------------------------------------------------------------------------

tool_hint() {
  case "$1" in
    aws) echo "install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html" ;;
    terraform) echo "install Terraform >= 1.10 (cdktf runs it; the S3 backend uses native locking)" ;;
    kubectl) echo "install kubectl within one minor version of the cluster: https://kubernetes.io/docs/tasks/tools/" ;;
    docker) echo "install Docker with buildx (images are built for linux/amd64)" ;;
    curl) echo "install curl" ;;
    git) echo "install git (the image tag defaults to the source's commit)" ;;
    getent) echo "install libc-bin (getent resolves the hostname)" ;;
    node) echo "install Node.js >= 20" ;;
    *) echo "install $1" ;;
  esac
}

# require_tools NAME...: one line per missing tool, then exit 2 if any is missing.
require_tools() {
  local missing=0 tool
  for tool in node "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      printf '%s: missing prerequisite: %s (%s)\n' "$SCRIPT_NAME" "$tool" "$(tool_hint "$tool")" >&2
      missing=1
    fi
  done
  if [[ ! -e "$ROOT/node_modules/tsx" ]]; then
    printf '%s: missing prerequisite: node_modules (run npm ci in %s)\n' "$SCRIPT_NAME" "$ROOT" >&2
    missing=1
  fi
  if ((missing)); then exit "$EXIT_USAGE"; fi
}

# load_config: sets CFG_* from the validated configuration (scripts/print-config.ts). Exits 2 with
# config.ts's one-line message on bad FACTORY_* input. Lines are parsed, never eval'ed.
load_config() {
  local out line key value
  # shellcheck disable=SC2119 # no extra variables here; build-push passes some
  if ! out="$(config_lines)"; then
    exit "$EXIT_USAGE"
  fi
  while IFS= read -r line; do
    key="${line%%=*}"
    value="${line#*=}"
    if [[ ! "$key" =~ ^CFG_[A-Z0-9_]+$ ]]; then die "$EXIT_USAGE" "unexpected configuration line: $line"; fi
    printf -v "$key" '%s' "$value"
  done <<<"$out"
}

# config_lines [VAR=value...]: print-config's output, with extra environment for one call.
# shellcheck disable=SC2120 # called with and without extra variables
config_lines() {
  (cd "$ROOT" && env "$@" node --require tsx/cjs scripts/print-config.ts)
}

# aws_cli ARGS...: the AWS CLI in the configured region, with the configured profile (if any).
aws_cli() {
  local args=(--region "$CFG_REGION")
  if [[ -n "$CFG_AWS_PROFILE" ]]; then args+=(--profile "$CFG_AWS_PROFILE"); fi
  aws "${args[@]}" "$@"
}

profile_hint() {
  if [[ -n "$CFG_AWS_PROFILE" ]]; then
    echo "run 'aws sso login --profile $CFG_AWS_PROFILE', or set FACTORY_AWS_PROFILE (empty: default credential chain)"
  else
    echo "set AWS credentials for the default chain, or FACTORY_AWS_PROFILE"
  fi
}

# require_credentials: the active AWS credentials belong to the configured account.
require_credentials() {
  local account
  if ! account="$(aws_cli sts get-caller-identity --query Account --output text 2>/dev/null)"; then
    die "$EXIT_USAGE" "missing prerequisite: AWS credentials for account $CFG_ACCOUNT_ID ($(profile_hint))"
  fi
  if [[ "$account" != "$CFG_ACCOUNT_ID" ]]; then
    die "$EXIT_USAGE" "missing prerequisite: AWS credentials for account $CFG_ACCOUNT_ID; the active ones are for account $account ($(profile_hint))"
  fi
}

# require_image_tag: FACTORY_IMAGE_TAG is set and its four images are in ECR.
require_image_tag() {
  local repo
  if [[ -z "$CFG_IMAGE_TAG" ]]; then
    die "$EXIT_USAGE" "missing prerequisite: FACTORY_IMAGE_TAG (the tag build-push printed; first deploy: deploy-infra, build-push, then this)"
  fi
  for repo in ${CFG_ECR_REPOSITORIES//,/ }; do
    if ! aws_cli ecr describe-images --repository-name "$repo" --image-ids "imageTag=$CFG_IMAGE_TAG" >/dev/null 2>&1; then
      die "$EXIT_USAGE" "missing prerequisite: image $repo:$CFG_IMAGE_TAG is not in ECR (run build-push, or pick a published tag)"
    fi
  done
}

# ---- options -----------------------------------------------------------------------------------

# parse_yes ARGS...: accepts only -y/--yes (sets ASSUME_YES), --outdir=DIR, --allow-replace ADDRESS
# (repeatable; see ALLOW_REPLACE_HELP) and -h/--help (prints $USAGE).
parse_yes() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -y | --yes) ASSUME_YES=1 ;;
      -h | --help) usage 0 ;;
      --outdir=*) set_outdir "${1#--outdir=}" ;;
      --allow-replace=*) allow_replace "${1#--allow-replace=}" ;;
      --allow-replace) allow_replace "${2-}"; shift ;;
      *) usage "$EXIT_USAGE" "unknown argument: $1" ;;
    esac
    shift
  done
}

# The addresses the operator lets the destructive-plan guard pass (scripts/lib/plan-guard.ts).
ALLOW_REPLACE=()
# shellcheck disable=SC2034 # used in the USAGE text of the scripts that apply
ALLOW_REPLACE_HELP="  --allow-replace ADDRESS
                 apply a plan that destroys or replaces this protected resource (a Terraform
                 address as the guard printed it, or STACK:ADDRESS); repeatable"

allow_replace() {
  local re='^([a-z0-9-]+:)?[a-z][a-z0-9_]*\.[][A-Za-z0-9_."-]+$'
  if [[ ! "$1" =~ $re ]]; then
    usage "$EXIT_USAGE" "--allow-replace wants a Terraform resource address (as the guard printed it), got '$1'"
  fi
  ALLOW_REPLACE+=("$1")
}

# set_outdir DIR: where cdktf synthesizes (absolute, or relative to where the command was typed).
set_outdir() {
  if [[ -z "$1" ]]; then usage "$EXIT_USAGE" "--outdir wants a directory"; fi
  if [[ "$1" == /* ]]; then OUTDIR="$1"; else OUTDIR="${INIT_CWD:-$PWD}/$1"; fi
}

# parse_wait_options ARGS...: --yes, --wait-timeout SECONDS and --poll-interval SECONDS, for the
# scripts that wait on the load balancer controller. Sets ASSUME_YES, WAIT_TIMEOUT and
# POLL_INTERVAL (the script sets their defaults first).
parse_wait_options() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -y | --yes) ASSUME_YES=1 ;;
      --wait-timeout) WAIT_TIMEOUT="${2-}"; positive_int "$1" "$WAIT_TIMEOUT"; shift ;;
      --poll-interval) POLL_INTERVAL="${2-}"; positive_int "$1" "$POLL_INTERVAL"; shift ;;
      --outdir=*) set_outdir "${1#--outdir=}" ;;
      --allow-replace=*) allow_replace "${1#--allow-replace=}" ;;
      --allow-replace) allow_replace "${2-}"; shift ;;
      -h | --help) usage 0 ;;
      *) usage "$EXIT_USAGE" "unknown argument: $1" ;;
    esac
    shift
  done
}

# usage CODE [MESSAGE]: prints $USAGE (set by the script) and exits.
usage() {
  local code=$1
  if [[ $# -gt 1 ]]; then printf '%s: error: %s\n' "$SCRIPT_NAME" "$2" >&2; fi
  if ((code == 0)); then printf '%s\n' "$USAGE"; else printf '%s\n' "$USAGE" >&2; fi
  exit "$code"
}

# positive_int NAME VALUE: VALUE is a whole number (for numeric options).
positive_int() {
  if [[ ! "$2" =~ ^[0-9]+$ ]]; then usage "$EXIT_USAGE" "$1 must be a whole number of seconds, got '$2'"; fi
}

# ---- stacks ------------------------------------------------------------------------------------

# run_stacks apply|destroy|unlock ARGS...: scripts/stacks.ts (see its header), with --yes when the
# verb was given it. It runs in the background so that this shell can pass on an INT or TERM at
# once (a shell waiting on a foreground child would hold the signal until the child ends); it
# keeps this shell's standard input for the approval prompts.
run_stacks() {
  local verb=$1 status pid
  shift
  local args=("$verb" --outdir "$OUTDIR")
  if ((ASSUME_YES)) && [[ "$verb" != unlock ]]; then args+=(--yes); fi
  local address
  if [[ "$verb" == apply ]]; then
    for address in "${ALLOW_REPLACE[@]}"; do args+=(--allow-replace "$address"); done
  fi
  local runner=(node --require ./scripts/ts-register.js scripts/stacks.ts)
  # The scripts' own tests put a stand-in here (__tests__/fakes/bin/stacks); the e2e runs the real one.
  if [[ -n "${FACTORY_STACKS_RUNNER:-}" ]]; then runner=("$FACTORY_STACKS_RUNNER"); fi
  (cd "$ROOT" && FACTORY_ELAPSED_BASE=$SECONDS exec "${runner[@]}" "${args[@]}" "$@") <&0 &
  pid=$!
  trap 'kill -INT "$pid" 2>/dev/null || true' INT TERM HUP
  while true; do
    status=0
    wait "$pid" || status=$?
    if ! kill -0 "$pid" 2>/dev/null; then break; fi # wait was cut short by a signal; the runner goes on
  done
  trap - INT TERM HUP
  return "$status"
}

# run_plan ARGS...: scripts/stacks.ts plan (read-only), for drift and diff. Its summary is the
# last line. Exit 0: every deployed stack in sync; 2: something drifted; 1: anything else.
PLAN_REPORTED=0
run_plan() {
  local status=0 summary=""
  run_stacks plan "$@" || status=$?
  if [[ -s "$FACTORY_RESULT_FILE" ]]; then summary="$(<"$FACTORY_RESULT_FILE")"; fi
  case "$status" in
    0 | 3)
      : >"$FACTORY_RESULT_FILE"
      CURRENT_STEP=""
      PLAN_REPORTED=1
      if ((status == 0)); then
        printf '==> [%s] %s: in sync%s\n' "$(elapsed)" "$SCRIPT_NAME" "${summary:+: $summary}" >&2
        exit 0
      fi
      # diff usually shows a change about to be made, drift one made outside the code.
      local word=DRIFTED
      if [[ "$SCRIPT_NAME" == diff ]]; then word=CHANGES; fi
      printf '==> [%s] %s: %s%s\n' "$(elapsed)" "$SCRIPT_NAME" "$word" "${summary:+: $summary}" >&2
      exit 2
      ;;
    *) exit "$EXIT_FAILED" ;;
  esac
}

# plan_verb_exit STATUS (the EXIT trap of drift and diff): their exit 2 means "drifted", so a usage
# or prerequisite failure, 2 in the other verbs, exits 1.
plan_verb_exit() {
  local status=$1
  if ((status == EXIT_USAGE && !PLAN_REPORTED)); then
    on_exit "$EXIT_FAILED"
    exit "$EXIT_FAILED"
  fi
  on_exit "$status"
}

# stack_name NAME: the full stack name for a short one (eks -> <prefix>-eks), or NAME if it is one.
stack_name() {
  local short var
  for short in state network eks ecr cert addons app dns; do
    var="CFG_STACK_${short^^}"
    if [[ "$1" == "$short" || "$1" == "${!var}" ]]; then
      printf '%s\n' "${!var}"
      return 0
    fi
  done
  return 1
}

# stack_has_state STACK: its state object is in the bucket (the stack is deployed, in part or whole).
stack_has_state() {
  aws_cli s3api head-object --bucket "$CFG_STATE_BUCKET" --key "$1/terraform.tfstate" >/dev/null 2>&1
}

# require_cluster: the EKS cluster is ACTIVE (deploy-infra has run).
require_cluster() {
  local status
  status="$(aws_cli eks describe-cluster --name "$CFG_CLUSTER_NAME" --query cluster.status --output text 2>/dev/null || true)"
  if [[ "$status" != "ACTIVE" ]]; then
    die "$EXIT_USAGE" "missing prerequisite: EKS cluster $CFG_CLUSTER_NAME is ${status:-not found}, not ACTIVE (run deploy-infra first)"
  fi
}

# ---- Kubernetes --------------------------------------------------------------------------------

# use_cluster: writes the kubeconfig context named after the cluster; kube() always uses it, so a
# context switched in another terminal cannot redirect these scripts.
use_cluster() {
  aws_cli eks update-kubeconfig --name "$CFG_CLUSTER_NAME" --alias "$CFG_CLUSTER_NAME" >/dev/null
}

kube() { kubectl --context "$CFG_CLUSTER_NAME" "$@"; }

# alb_state: the State.Code of the ingress's ALB (config albName), empty when there is none.
alb_state() {
  local state
  state="$(aws_cli elbv2 describe-load-balancers --query "LoadBalancers[?LoadBalancerName=='$CFG_ALB_NAME'].State.Code" --output text)"
  if [[ "$state" == "None" ]]; then state=""; fi
  printf '%s' "$state"
}

# wait_for_alb TIMEOUT INTERVAL: until the controller's ALB is active (dns reads it by name).
wait_for_alb() {
  local timeout=$1 interval=$2 deadline state
  deadline=$((SECONDS + timeout))
  while true; do
    state="$(alb_state)"
    if [[ "$state" == "active" ]]; then
      info "load balancer $CFG_ALB_NAME is active"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      die "$EXIT_FAILED" "timed out after ${timeout}s waiting for load balancer $CFG_ALB_NAME (state: ${state:-not created}); check the ingress events (kubectl -n $CFG_NAMESPACE describe ingress) and the controller logs (kubectl -n kube-system logs deploy/aws-load-balancer-controller)"
    fi
    info "load balancer $CFG_ALB_NAME: ${state:-not created yet}; waiting"
    sleep "$interval"
  done
}
