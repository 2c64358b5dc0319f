# shellcheck shell=bash
# The cluster: the kubectl context these scripts use, and the load balancer the AWS Load Balancer
# Controller makes for the ingress. Sourced by common.sh.

# use_cluster: writes the kubeconfig context named after the cluster; kube() always uses it, so a
# context switched in another terminal cannot redirect these scripts.
use_cluster() {
  aws_cli eks update-kubeconfig --name "${CFG[CLUSTER_NAME]}" --alias "${CFG[CLUSTER_NAME]}" >/dev/null
}

kube() { kubectl --context "${CFG[CLUSTER_NAME]}" "$@"; }

# alb_state: the State.Code of the ingress's ALB (config albName), empty when there is none.
alb_state() {
  local state
  state="$(aws_cli elbv2 describe-load-balancers --query "LoadBalancers[?LoadBalancerName=='${CFG[ALB_NAME]}'].State.Code" --output text)"
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
      info "load balancer ${CFG[ALB_NAME]} is active"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      die "$EXIT_FAILED" "timed out after ${timeout}s waiting for load balancer ${CFG[ALB_NAME]} (state: ${state:-not created}); check the ingress events (kubectl -n ${CFG[NAMESPACE]} describe ingress) and the controller logs (kubectl -n kube-system logs deploy/aws-load-balancer-controller)"
    fi
    info "load balancer ${CFG[ALB_NAME]}: ${state:-not created yet}; waiting"
    sleep "$interval"
  done
}
