# shellcheck shell=bash
# Configuration: the FACTORY_* settings as config/index.ts validated them (scripts/print-config.ts), and
# the AWS CLI in the configured region and profile. Sourced by common.sh.

# CFG: the validated configuration, one entry per line of print-config's shell output, keyed
# without its CFG_ prefix: ${CFG[REGION]}, ${CFG[STACK_EKS]}, ... (the keys: scriptValues in
# scripts/print-config.ts). An empty value means "not set". Filled by load_config, and only there.
declare -gA CFG=()

# load_config: fills CFG from the validated configuration. Exits 2 with config/index.ts's one-line
# message on bad FACTORY_* input. Lines are parsed, never eval'ed.
load_config() {
  local out line key
  # shellcheck disable=SC2119 # no extra variables here; build-push passes some
  if ! out="$(config_lines)"; then
    exit "$EXIT_USAGE"
  fi
  while IFS= read -r line; do
    key="${line%%=*}"
    if [[ ! "$key" =~ ^CFG_[A-Z0-9_]+$ ]]; then die "$EXIT_USAGE" "unexpected configuration line: $line"; fi
    CFG["${key#CFG_}"]="${line#*=}"
  done <<<"$out"
}

# config_lines [VAR=value...]: print-config's output, with extra environment for one call.
# shellcheck disable=SC2120 # called with and without extra variables
config_lines() {
  (cd "$ROOT" && env "$@" node --require ./scripts/ts-register.js scripts/print-config.ts)
}

# aws_cli ARGS...: the AWS CLI in the configured region, with the configured profile (if any).
aws_cli() {
  local args=(--region "${CFG[REGION]}")
  if [[ -n "${CFG[AWS_PROFILE]}" ]]; then args+=(--profile "${CFG[AWS_PROFILE]}"); fi
  aws "${args[@]}" "$@"
}
