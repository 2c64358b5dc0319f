# shellcheck shell=bash
# The engine (scripts/engine/, run through scripts/platform-engine.ts) for a verb: apply, destroy,
# unlock, and the read-only plan of drift and diff, with their exit codes; and stack names and
# state. Sourced by common.sh.

# run_engine apply|destroy|unlock ARGS...: the engine (see scripts/engine/cli.ts's header), with
# --yes when the verb was given it. It runs in the background so that this shell can pass on an INT or TERM at
# once (a shell waiting on a foreground child would hold the signal until the child ends); it
# keeps this shell's standard input for the approval prompts.
run_engine() {
  local verb=$1 status pid
  shift
  local args=("$verb" --outdir "$OUTDIR")
  if ((ASSUME_YES)) && [[ "$verb" != unlock ]]; then args+=(--yes); fi
  local address
  if [[ "$verb" == apply ]]; then
    for address in "${ALLOW_REPLACE[@]}"; do args+=(--allow-replace "$address"); done
  fi
  local runner=(node --require ./scripts/ts-register.js scripts/platform-engine.ts)
  # The scripts' own tests put a stand-in here (__tests__/fakes/bin/engine); the e2e runs the real one.
  if [[ -n "${FACTORY_ENGINE_RUNNER:-}" ]]; then runner=("$FACTORY_ENGINE_RUNNER"); fi
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

# run_plan ARGS...: the engine's plan (read-only), for drift and diff. Its summary is the
# last line. Exit 0: every deployed stack in sync; 2: something drifted; 1: anything else.
# Sets PLAN_REPORTED (read by plan_verb_exit) once the summary is printed.
PLAN_REPORTED=0
run_plan() {
  local status=0 summary=""
  run_engine plan "$@" || status=$?
  if [[ -s "$FACTORY_RESULT_FILE" ]]; then summary="$(<"$FACTORY_RESULT_FILE")"; fi
  case "$status" in
    0 | 3)
      : >"$FACTORY_RESULT_FILE"
      # shellcheck disable=SC2034 # read by on_exit (output.sh)
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
  local short full
  # The short names come from print-config (lib/stack-names.ts), the one list.
  for short in ${CFG[STACKS]//,/ }; do
    full="${CFG[STACK_${short^^}]}"
    if [[ "$1" == "$short" || "$1" == "$full" ]]; then
      printf '%s\n' "$full"
      return 0
    fi
  done
  return 1
}

# all_stacks: the full name of every stack, one per line, in deploy order (lib/stack-names.ts).
all_stacks() {
  local short
  for short in ${CFG[STACKS]//,/ }; do printf '%s\n' "${CFG[STACK_${short^^}]}"; done
}

# infra_stacks: the stacks deploy-infra deploys (DEPLOYED_BY in lib/stack-names.ts), one per
# line (the engine orders them).
infra_stacks() {
  local short
  for short in ${CFG[INFRA_STACKS]//,/ }; do printf '%s\n' "${CFG[STACK_${short^^}]}"; done
}

# stack_has_state STACK: its state object is in the bucket (the stack is deployed, in part or whole).
stack_has_state() {
  aws_cli s3api head-object --bucket "${CFG[STATE_BUCKET]}" --key "$1/terraform.tfstate" >/dev/null 2>&1
}
