#!/usr/bin/env bash
# Tears the platform down, all but the state bucket, in the one safe order, from any partial deployment.
#   1. delete the ingresses and wait until the AWS Load Balancer Controller has removed its ALB,
#      target groups and security groups (in no Terraform state; left behind, they block the VPC's
#      deletion, and the controller that would remove them is about to go); only when the app stack
#      has state (without it there is no ingress);
#   2. destroy every stack but state (dns, monitoring, app, addons, eks, ecr, cert, backup, network)
#      in reverse dependency order (scripts/platform-engine.ts): a stack with no state is skipped without
#      initializing its providers; each destroy is verified, then its state object is deleted.
# The state bucket (the state stack) is never destroyed here.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: destroy-all.sh [--yes] [--outdir=DIR] [--wait-timeout SECONDS] [--poll-interval SECONDS]
  Destroys every stack but the state bucket, ingress first. Asks for the stack prefix unless --yes.
  --yes                    do not ask for confirmation
  --outdir=DIR             synthesize into DIR (default: cdktf.out in the project root)
  --wait-timeout SECONDS   how long to wait for the controller to remove the load balancer (default 900)
  --poll-interval SECONDS  between checks (default 10)"
WAIT_TIMEOUT=900
POLL_INTERVAL=10
parse_wait_options "$@"
if ((${#ALLOW_REPLACE[@]})); then usage "$EXIT_USAGE" "--allow-replace is for the verbs that apply; destroy-all destroys every stack anyway"; fi

step "prerequisites"
require_tools aws terraform
# A teardown needs no release: without a tag the app stack reads no image from ECR (ReleasedImages),
# so a tag the lifecycle policy has expired cannot stop it.
unset FACTORY_IMAGE_TAG
load_config
require_credentials
APP_DEPLOYED=0
if stack_has_state "${CFG[STACK_APP]}"; then
  APP_DEPLOYED=1
  require_tools kubectl
fi

# Reverse of the deploy order. Never the state stack: every other stack's state lives in its bucket.
mapfile -t ALL_STACKS < <(all_stacks)
STACKS=()
for ((i = ${#ALL_STACKS[@]} - 1; i >= 0; i--)); do
  [[ "${ALL_STACKS[i]}" == "${CFG[STACK_STATE]}" ]] || STACKS+=("${ALL_STACKS[i]}")
done

if ((!ASSUME_YES)); then
  printf 'This destroys %s in account %s (%s):\n' "${CFG[STACK_PREFIX]}" "${CFG[ACCOUNT_ID]}" "${CFG[REGION]}" >&2
  printf '  the ingresses in namespace %s, then the stacks %s\n' "${CFG[NAMESPACE]}" "${STACKS[*]}" >&2
  printf '  (every recovery point in the backup vault %s and every image in ECR are deleted;\n' "${CFG[BACKUP_VAULT]}" >&2
  printf '  the data stores'"'"' volumes and %s are kept)\n' "${CFG[STATE_BUCKET]}" >&2
  printf 'Type the stack prefix (%s) to continue: ' "${CFG[STACK_PREFIX]}" >&2
  answer=""
  read -r answer || true
  if [[ "$answer" != "${CFG[STACK_PREFIX]}" ]]; then die "$EXIT_USAGE" "not confirmed; nothing was destroyed"; fi
fi

# controller_leftovers: one line per AWS resource the controller made for this cluster that still exists.
controller_leftovers() {
  local arns groups
  if [[ -n "$(alb_state)" ]]; then echo "load balancer ${CFG[ALB_NAME]}"; fi
  arns="$(aws_cli resourcegroupstaggingapi get-resources --resource-type-filters elasticloadbalancing:targetgroup \
    --tag-filters "Key=elbv2.k8s.aws/cluster,Values=${CFG[CLUSTER_NAME]}" \
    --query 'ResourceTagMappingList[].ResourceARN' --output text)"
  for arn in $arns; do if [[ "$arn" != "None" ]]; then echo "target group ${arn##*:targetgroup/}"; fi; done
  groups="$(aws_cli ec2 describe-security-groups --filters "Name=tag:elbv2.k8s.aws/cluster,Values=${CFG[CLUSTER_NAME]}" \
    --query 'SecurityGroups[].GroupId' --output text)"
  for group in $groups; do if [[ "$group" != "None" ]]; then echo "security group $group"; fi; done
}

if ((APP_DEPLOYED)); then
  step "ingresses in namespace ${CFG[NAMESPACE]}"
  cluster_status="$(aws_cli eks describe-cluster --name "${CFG[CLUSTER_NAME]}" --query cluster.status --output text 2>/dev/null || true)"
  if [[ "$cluster_status" == "ACTIVE" ]]; then
    use_cluster
    kubectl_err="$(mktemp)"
    if ! kube -n "${CFG[NAMESPACE]}" delete ingress --all --ignore-not-found --wait=true --timeout="${WAIT_TIMEOUT}s" 2>"$kubectl_err" >/dev/null; then
      message="$(grep -v '^\s*$' "$kubectl_err" | tail -n 1)"
      rm -f "$kubectl_err"
      if [[ "$message" == *"timed out waiting"* ]]; then
        die "$EXIT_FAILED" "the ingresses in ${CFG[NAMESPACE]} were not deleted within ${WAIT_TIMEOUT}s: their finalizer waits for the AWS Load Balancer Controller (kubectl -n kube-system get deploy; kubectl -n ${CFG[NAMESPACE]} describe ingress)"
      fi
      die "$EXIT_FAILED" "kubectl could not delete the ingresses in ${CFG[NAMESPACE]}: ${message:-no message}; nothing was destroyed (if the cluster API is gone for good, see docs/destroy.md: When the cluster API is gone for good)"
    fi
    rm -f "$kubectl_err"
  else
    info "cluster ${CFG[CLUSTER_NAME]} is ${cluster_status:-not found}: no ingress to delete"
  fi

  step "wait until the load balancer controller's ALB, target groups and security groups are gone"
  deadline=$((SECONDS + WAIT_TIMEOUT))
  while true; do
    leftovers="$(controller_leftovers)"
    if [[ -z "$leftovers" ]]; then
      info "none left"
      break
    fi
    if ((SECONDS >= deadline)); then
      die "$EXIT_FAILED" "timed out after ${WAIT_TIMEOUT}s: still there: $(paste -sd, - <<<"$leftovers"). Nothing was destroyed yet. Check the controller (kubectl -n kube-system logs deploy/aws-load-balancer-controller), delete them by hand if the controller is gone, then run destroy-all again"
    fi
    info "still there: $(paste -sd, - <<<"$leftovers"); waiting"
    sleep "$POLL_INTERVAL"
  done
else
  info "${CFG[STACK_APP]} has no state: no ingress, no load balancer to wait for"
fi

if stack_has_state "${CFG[STACK_ECR]}"; then
  step "delete the images in ECR (repositories with images cannot be deleted; confirmed above)"
  for repo in ${CFG[ECR_REPOSITORIES]//,/ }; do
    for _ in $(seq 1 100); do # 100 images per round; bounded in case a deletion keeps failing
      digests="$(aws_cli ecr list-images --repository-name "$repo" --max-items 100 \
        --query 'imageIds[].imageDigest' --output text 2>/dev/null | tr -s '[:space:]' '\n' | grep -v '^None$' | sort -u || true)"
      if [[ -z "$digests" ]]; then break; fi
      mapfile -t digest_list <<<"$digests"
      info "deleting ${#digest_list[@]} image(s) from $repo"
      aws_cli ecr batch-delete-image --repository-name "$repo" --image-ids "${digest_list[@]/#/imageDigest=}" >/dev/null
    done
  done
fi

step "destroy ${STACKS[*]} (reverse dependency order; stacks without state are skipped)"
# dns without refresh: it looks the ALB up by name, and the ALB is gone by now.
run_engine destroy --no-refresh "${CFG[STACK_DNS]}" "${STACKS[@]}"

# The data stores' volumes (reclaim policy Retain, tagged for backup) outlive the cluster, and with
# the vault gone they hold the only copy of the data: say which, never delete them here.
data_volumes="$(aws_cli ec2 describe-volumes --filters "Name=tag-key,Values=${CFG[BACKUP_TAG]%%=*}" --query 'Volumes[].VolumeId' --output text 2>/dev/null | tr -s '[:space:]' ' ' || true)"
data_volumes="${data_volumes% }"
finish
info "kept: the state bucket ${CFG[STATE_BUCKET]} (stack ${CFG[STACK_STATE]})"
if [[ -n "$data_volumes" && "$data_volumes" != None ]]; then
  info "kept: the data stores' data volume(s) $data_volumes (the only copy of their data now; aws ec2 delete-volume --volume-id ID once not needed)"
fi
