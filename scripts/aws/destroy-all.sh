#!/usr/bin/env bash
# Tears the platform down in the one safe order:
#   1. delete the ingresses and wait until the AWS Load Balancer Controller has removed its ALB,
#      target groups and security groups (they are not in any Terraform state; left behind, they
#      block the VPC's deletion and the controller that would remove them is about to go);
#   2. destroy dns, app, addons, eks, ecr, cert, network, one stack at a time.
# The state bucket (the state stack) is never destroyed here.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: destroy-all.sh [--yes] [--wait-timeout SECONDS] [--poll-interval SECONDS]
  Destroys every stack but the state bucket, ingress first. Asks for the stack prefix unless --yes.
  --yes                    do not ask for confirmation
  --wait-timeout SECONDS   how long to wait for the controller to remove the load balancer (default 900)
  --poll-interval SECONDS  between checks (default 10)"
WAIT_TIMEOUT=900
POLL_INTERVAL=10
parse_wait_options "$@"

step "prerequisites"
require_tools aws terraform kubectl
load_config
require_credentials

# Reverse of the deploy order. Never the state stack: every other stack's state lives in its bucket.
STACKS=("$CFG_STACK_DNS" "$CFG_STACK_APP" "$CFG_STACK_ADDONS" "$CFG_STACK_EKS" "$CFG_STACK_ECR" "$CFG_STACK_CERT" "$CFG_STACK_NETWORK")

if ((!ASSUME_YES)); then
  printf 'This destroys %s in account %s (%s):\n' "$CFG_STACK_PREFIX" "$CFG_ACCOUNT_ID" "$CFG_REGION" >&2
  printf '  the ingresses in namespace %s, then the stacks %s\n' "$CFG_NAMESPACE" "${STACKS[*]}" >&2
  printf '  (the data in postgres, redis and minio, and every image in ECR, are deleted; %s is kept)\n' "$CFG_STATE_BUCKET" >&2
  printf 'Type the stack prefix (%s) to continue: ' "$CFG_STACK_PREFIX" >&2
  answer=""
  read -r answer || true
  if [[ "$answer" != "$CFG_STACK_PREFIX" ]]; then die "$EXIT_USAGE" "not confirmed; nothing was destroyed"; fi
fi

# controller_leftovers: one line per AWS resource the controller made for this cluster that still exists.
controller_leftovers() {
  local arns groups
  if [[ -n "$(alb_state)" ]]; then echo "load balancer $CFG_ALB_NAME"; fi
  arns="$(aws_cli resourcegroupstaggingapi get-resources --resource-type-filters elasticloadbalancing:targetgroup \
    --tag-filters "Key=elbv2.k8s.aws/cluster,Values=$CFG_CLUSTER_NAME" \
    --query 'ResourceTagMappingList[].ResourceARN' --output text)"
  for arn in $arns; do if [[ "$arn" != "None" ]]; then echo "target group ${arn##*:targetgroup/}"; fi; done
  groups="$(aws_cli ec2 describe-security-groups --filters "Name=tag:elbv2.k8s.aws/cluster,Values=$CFG_CLUSTER_NAME" \
    --query 'SecurityGroups[].GroupId' --output text)"
  for group in $groups; do if [[ "$group" != "None" ]]; then echo "security group $group"; fi; done
}

step "ingresses in namespace $CFG_NAMESPACE"
cluster_status="$(aws_cli eks describe-cluster --name "$CFG_CLUSTER_NAME" --query cluster.status --output text 2>/dev/null || true)"
if [[ "$cluster_status" == "ACTIVE" ]]; then
  use_cluster
  if ! kube -n "$CFG_NAMESPACE" delete ingress --all --ignore-not-found --wait=true --timeout="${WAIT_TIMEOUT}s"; then
    die "$EXIT_FAILED" "the ingresses in $CFG_NAMESPACE were not deleted within ${WAIT_TIMEOUT}s: their finalizer waits for the AWS Load Balancer Controller (kubectl -n kube-system get deploy; kubectl -n $CFG_NAMESPACE describe ingress)"
  fi
else
  info "cluster $CFG_CLUSTER_NAME is ${cluster_status:-not found}: no ingress to delete"
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

for stack in "${STACKS[@]}"; do
  step "destroy $stack"
  if [[ "$stack" == "$CFG_STACK_ECR" ]]; then
    # Repositories with images cannot be deleted; the images go with them (confirmed above).
    for repo in ${CFG_ECR_REPOSITORIES//,/ }; do
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
  if [[ "$stack" == "$CFG_STACK_DNS" ]]; then
    # Without refresh: the stack looks the ALB up by name, and the ALB is gone by now.
    TF_CLI_ARGS_destroy="-refresh=false" cdktf_cli destroy "$stack" --auto-approve --ignore-missing-stack-dependencies
  else
    cdktf_cli destroy "$stack" --auto-approve --ignore-missing-stack-dependencies
  fi
done

finish
info "kept: the state bucket $CFG_STATE_BUCKET (stack $CFG_STACK_STATE)"
