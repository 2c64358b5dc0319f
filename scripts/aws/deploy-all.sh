#!/usr/bin/env bash
# Deploys everything, from a new account to a smoke-checked factory; re-run after a failure, it resumes.
# In phases: infra (deploy-infra's stacks), images (build-push from --source unless in ECR),
# add-ons, app (and the data stores' volumes), dns (once the ingress's load balancer is up), smoke
# checks. Each phase checks its own prerequisites when it starts, so a run goes as far as it can; a
# re-run redoes nothing done (a stack with no change applies nothing, images in ECR are not built
# again) and says what it found done. It ends with a summary (URL, tag, each phase's result and time, what next).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: deploy-all.sh [--yes] [--source DIR] [--outdir=DIR] [--wait-timeout S] [--poll-interval S]
  Deploys everything in order (infra, images, add-ons, app, dns), then runs the smoke checks.
  Re-run after a failure to resume: what is done is not done again.
  The image tag: FACTORY_IMAGE_TAG; unset: the commit of --source, else the tag the app stack runs now.
  --source DIR       the application checkout: its images are built and pushed when the tag's are
                     not in ECR (build-push; each image from DIR/<image>/Dockerfile)
  --yes              apply without showing each plan for approval
  --outdir=DIR       synthesize into DIR (default: cdktf.out in the project root)
  --wait-timeout S   how long to wait for the load balancer and for a growing volume (default 600)
  --poll-interval S  seconds between those checks (default 10)
$ALLOW_REPLACE_HELP"
WAIT_TIMEOUT=600
POLL_INTERVAL=10
SOURCE=""
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --source)
      if [[ -z "${2-}" ]]; then usage "$EXIT_USAGE" "--source wants a directory"; fi
      SOURCE="$2"
      shift
      ;;
    --source=*)
      SOURCE="${1#--source=}"
      if [[ -z "$SOURCE" ]]; then usage "$EXIT_USAGE" "--source wants a directory"; fi
      ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
parse_wait_options ${ARGS[@]+"${ARGS[@]}"}
if [[ -n "$SOURCE" ]]; then
  # Relative to where the command was typed (npm run starts scripts in the project root).
  if [[ "$SOURCE" != /* ]]; then SOURCE="${INIT_CWD:-$PWD}/$SOURCE"; fi
  if [[ ! -d "$SOURCE" ]]; then die "$EXIT_USAGE" "missing prerequisite: source directory $SOURCE"; fi
  SOURCE="$(cd "$SOURCE" && pwd)"
fi

# The phases, in order, and what each did: PHASE_RESULT and PHASE_TIME by name (summary).
PHASES=(infra images add-ons app dns smoke)
declare -A PHASE_RESULT=() PHASE_TIME=()
PHASE="" PHASE_START=0 TAG_ORIGIN=""

# LATER: 1 once a phase after infra has started: earlier phases may have changed things, so a
# stop is exit 1 from then on, never the 2 of "nothing was changed".
LATER=0

# phase NAME TEXT: a phase starts (its step line names it).
phase() {
  PHASE=$1 PHASE_START=$SECONDS
  if [[ "$1" != infra ]]; then LATER=1; fi
  step "$1: $2"
}

# phase_done RESULT: the phase under way ended with RESULT (said, and kept for the summary).
phase_done() {
  PHASE_RESULT[$PHASE]="$1"
  PHASE_TIME[$PHASE]=$((SECONDS - PHASE_START))
  info "$PHASE: $1"
  PHASE=""
}

# apply_phase STACK...: the engine's apply of the stacks; the phase's result says how many
# changed and how many were found done before (no change).
apply_phase() {
  local outcomes changed unchanged status=0
  outcomes="$(mktemp)"
  export FACTORY_OUTCOME_FILE="$outcomes"
  run_engine apply "$@" || status=$?
  unset FACTORY_OUTCOME_FILE
  changed="$(grep -c $'\tchanged$' "$outcomes" || true)"
  unchanged="$(grep -c $'\tunchanged$' "$outcomes" || true)"
  rm -f "$outcomes"
  if ((status == EXIT_USAGE && LATER)); then status=$EXIT_FAILED; fi
  if ((status != 0)); then exit "$status"; fi
  if ((changed == 0)); then
    phase_done "done before: nothing to apply ($unchanged stack(s) unchanged)"
  else
    phase_done "applied $changed stack(s), $unchanged unchanged"
  fi
}

# die CODE MESSAGE...: as output.sh's, but the message is kept for the last line, after the
# summary, and past the first phase a 2 is a 1 (see LATER).
die() {
  local code=$1
  shift
  if ((code == EXIT_USAGE && LATER)); then code=$EXIT_FAILED; fi
  printf '%s' "$*" >"$FACTORY_RESULT_FILE"
  exit "$code"
}

# phase_requires CHECK ARGS...: a prerequisite of the phase under way (prereqs.sh, cluster.sh,
# volumes.sh). Missing, the run stops with exit 1 (earlier phases may have changed things, so
# not the 2 of "nothing changed"), its message on the last line.
phase_requires() {
  local err status
  err="$(mktemp)"
  : >"$FACTORY_RESULT_FILE"
  # errexit on inside the check (a condition's subshell would run it with errexit off).
  set +e
  (
    set -e
    "$@"
  ) 2>"$err"
  status=$?
  set -e
  if ((status != 0)); then
    if [[ ! -s "$FACTORY_RESULT_FILE" ]]; then
      grep -v '^\s*$' "$err" | tail -n 1 | sed "s/^$SCRIPT_NAME: //" | tr -d '\n' >"$FACTORY_RESULT_FILE"
    fi
    rm -f "$err"
    exit "$EXIT_FAILED"
  fi
  cat "$err" >&2
  rm -f "$err"
}

# run_verb VERB ARGS...: another verb of scripts/aws, its output (results and progress) shown on
# stderr as it goes; failed, the run stops with exit 1 and the verb's last line.
run_verb() {
  local verb=$1 out status=0 last
  shift
  out="$(mktemp)"
  # Its progress lines go on with this run's clock (output.sh).
  FACTORY_ELAPSED_BASE=$SECONDS "$ROOT/scripts/aws/$verb.sh" "$@" 2>&1 | tee "$out" >&2 || status=$?
  last="$(grep -v '^\s*$' "$out" | tail -n 1 || true)"
  rm -f "$out"
  if ((status != 0)); then die "$EXIT_FAILED" "$verb exit $status: ${last#"$verb: "}"; fi
}

# summary STATUS: the run in a few lines, before the last line; on failure the phase that failed
# and what to run next.
SUMMARY_SAID=0
summary() {
  local status=$1 name result
  if ((SUMMARY_SAID)); then return 0; fi
  SUMMARY_SAID=1
  if ((status != 0)) && [[ -n "$PHASE" ]]; then
    PHASE_RESULT[$PHASE]="FAILED (exit $status; the reason is on the last line)"
    PHASE_TIME[$PHASE]=$((SECONDS - PHASE_START))
  fi
  if ((${#PHASE_RESULT[@]} == 0)); then return 0; fi
  printf '\n%s summary\n' "$SCRIPT_NAME" >&2
  printf '  %-10s https://%s%s\n' "URL" "${CFG[HOSTNAME]}" "$([[ "${PHASE_RESULT[smoke]:-}" == passed* ]] && echo " (smoke checks passed)" || echo " (not served yet: the run did not get there)")" >&2
  printf '  %-10s %s\n' "image tag" "${CFG[IMAGE_TAG]:-none}${TAG_ORIGIN:+ ($TAG_ORIGIN)}" >&2
  for name in "${PHASES[@]}"; do
    result="${PHASE_RESULT[$name]:-not reached}"
    if [[ -n "${PHASE_TIME[$name]:-}" ]]; then
      printf '  %-10s %-7s %s\n' "$name" "$(printf '%02d:%02d' $((PHASE_TIME[$name] / 60)) $((PHASE_TIME[$name] % 60)))" "$result" >&2
    else
      printf '  %-10s %-7s %s\n' "$name" "" "$result" >&2
    fi
  done
  if ((status != 0)); then
    printf '  %-10s %s\n' "next" "remove the cause on the last line, then run the same command again: it resumes where this run stopped" >&2
  fi
  printf '\n' >&2
}
trap 'status=$?; summary "$status"; on_exit "$status"' EXIT

step "prerequisites"
require_tools aws terraform
load_config
require_credentials
# The tag: FACTORY_IMAGE_TAG, else the source's commit, else what the app stack runs now.
if [[ -n "${CFG[IMAGE_TAG]}" ]]; then
  TAG_ORIGIN="FACTORY_IMAGE_TAG"
elif [[ -n "$SOURCE" ]]; then
  require_tools git
  tag="$(source_commit_tag "$SOURCE")"
  config_lines "FACTORY_IMAGE_TAG=$tag" >/dev/null || exit "$EXIT_USAGE"
  CFG[IMAGE_TAG]="$tag"
  export FACTORY_IMAGE_TAG="$tag"
  TAG_ORIGIN="the commit of $SOURCE"
  info "image tag: $tag (the commit of $SOURCE)"
else
  resolve_image_tag required
  TAG_ORIGIN="what ${CFG[STACK_APP]} runs now"
fi
if [[ -z "$SOURCE" ]]; then
  # Nothing can build a missing image in this run: refused before any plan.
  missing="$(missing_image)"
  if [[ -n "$missing" ]]; then
    die "$EXIT_USAGE" "missing prerequisite: image $missing:${CFG[IMAGE_TAG]} is not in ECR (give --source DIR to build and push it, or pick a published FACTORY_IMAGE_TAG)"
  fi
fi

mapfile -t INFRA_STACKS < <(infra_stacks)
phase infra "apply ${INFRA_STACKS[*]}"
apply_phase "${INFRA_STACKS[@]}"

IFS=, read -r -a REPOS <<<"${CFG[ECR_REPOSITORIES]}"
phase images "${CFG[ECR_REPOSITORIES]//,/, } at ${CFG[IMAGE_TAG]}"
missing="$(missing_image)"
if [[ -z "$missing" ]]; then
  phase_done "done before: all ${#REPOS[@]} images are in ECR"
elif [[ -z "$SOURCE" ]]; then
  die "$EXIT_FAILED" "image $missing:${CFG[IMAGE_TAG]} is not in ECR (give --source DIR to build and push it, or pick a published FACTORY_IMAGE_TAG)"
else
  # build-push skips an image already in ECR: after a cut-off push only the rest are built.
  in_ecr=0
  for repo in "${REPOS[@]}"; do
    if aws_cli ecr describe-images --repository-name "$repo" --image-ids "imageTag=${CFG[IMAGE_TAG]}" >/dev/null 2>&1; then in_ecr=$((in_ecr + 1)); fi
  done
  run_verb build-push --source "$SOURCE" --tag "${CFG[IMAGE_TAG]}"
  missing="$(missing_image)"
  if [[ -n "$missing" ]]; then die "$EXIT_FAILED" "build-push ended, but $missing:${CFG[IMAGE_TAG]} is not in ECR"; fi
  phase_done "built and pushed $((${#REPOS[@]} - in_ecr)) image(s) from $SOURCE$( ((in_ecr)) && echo " ($in_ecr were in ECR before)")"
fi

phase add-ons "apply ${CFG[STACK_ADDONS]}"
phase_requires require_cluster
apply_phase "${CFG[STACK_ADDONS]}"

phase app "apply ${CFG[STACK_APP]} (images ${CFG[IMAGE_TAG]}), then the data stores' volumes"
phase_requires require_tools kubectl
phase_requires use_cluster
phase_requires refuse_shrinking_volumes
apply_phase "${CFG[STACK_APP]}"
app_result="${PHASE_RESULT[app]}"
PHASE=app
grow_data_volumes "$WAIT_TIMEOUT" "$POLL_INTERVAL"
phase_done "$app_result"

phase dns "wait for load balancer ${CFG[ALB_NAME]}, then apply ${CFG[STACK_DNS]} (${CFG[HOSTNAME]})"
wait_for_alb "$WAIT_TIMEOUT" "$POLL_INTERVAL"
apply_phase "${CFG[STACK_DNS]}"

phase smoke "smoke checks"
run_verb smoke-checks
phase_done "passed"

summary 0
finish
