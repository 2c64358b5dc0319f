# shellcheck shell=bash
# Options: the command-line options the verbs share (--yes, --outdir, --allow-replace, the wait
# options), their checks, and usage. Sourced by common.sh.

# ASSUME_YES: 1 after -y/--yes (no approval asked). OUTDIR: where cdktf synthesizes (--outdir).
ASSUME_YES=0
OUTDIR="$ROOT/cdktf.out"

# parse_yes ARGS...: accepts only -y/--yes (sets ASSUME_YES), --outdir=DIR (sets OUTDIR),
# --allow-replace ADDRESS (repeatable, appends to ALLOW_REPLACE; see ALLOW_REPLACE_HELP) and
# -h/--help (prints $USAGE).
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

# The addresses the operator lets the destructive-plan guard pass (scripts/engine/plan-guard.ts).
ALLOW_REPLACE=()
# shellcheck disable=SC2034 # used in the USAGE text of the scripts that apply
ALLOW_REPLACE_HELP="  --allow-replace ADDRESS
                 apply a plan that destroys or replaces this protected resource (a Terraform
                 address as the guard printed it, or STACK:ADDRESS); repeatable"

# allow_replace ADDRESS: appends it to ALLOW_REPLACE, after checking it looks like an address.
allow_replace() {
  local re='^([a-z0-9-]+:)?[a-z][a-z0-9_]*\.[][A-Za-z0-9_."-]+$'
  if [[ ! "$1" =~ $re ]]; then
    usage "$EXIT_USAGE" "--allow-replace wants a Terraform resource address (as the guard printed it), got '$1'"
  fi
  ALLOW_REPLACE+=("$1")
}

# shellcheck disable=SC2034 # OUTDIR: read by run_engine (engine.sh)
# set_outdir DIR: sets OUTDIR, where cdktf synthesizes (absolute, or relative to where the command
# was typed).
set_outdir() {
  if [[ -z "$1" ]]; then usage "$EXIT_USAGE" "--outdir wants a directory"; fi
  if [[ "$1" == /* ]]; then OUTDIR="$1"; else OUTDIR="${INIT_CWD:-$PWD}/$1"; fi
}

# shellcheck disable=SC2034 # ASSUME_YES: read by run_engine (engine.sh) and the verbs
# parse_wait_options ARGS...: --yes, --wait-timeout SECONDS and --poll-interval SECONDS, for the
# scripts that wait on the load balancer controller, besides --outdir=DIR and --allow-replace.
# Sets ASSUME_YES, WAIT_TIMEOUT and POLL_INTERVAL (the script sets their defaults first), OUTDIR
# and ALLOW_REPLACE.
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
