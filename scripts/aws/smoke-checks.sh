#!/usr/bin/env bash
# After a deploy: does the platform answer (DNS, TLS, the site, the API's health, rollouts, metrics)?
# One line per check on stdout (PASS/FAIL), every check runs even after a failure. Exit 0: all passed; 1: at least one failed; 2: could not run.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: smoke-checks.sh [--timeout SECONDS]
  Checks that the hostname resolves, https://<hostname>/ and the API health path (FACTORY_API_HEALTH_PATH)
  answer over a certificate valid for the hostname, every Deployment and StatefulSet in the
  namespace is rolled out and the metrics API answers.
  --timeout SECONDS  per HTTP request and per rollout check (default 20)"
TIMEOUT=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) TIMEOUT="${2-}"; positive_int "$1" "$TIMEOUT"; shift ;;
    -h | --help) usage 0 ;;
    *) usage "$EXIT_USAGE" "unknown argument: $1" ;;
  esac
  shift
done

step "prerequisites"
require_tools aws kubectl curl getent
load_config
require_credentials
CURRENT_STEP=""

PASSED=0
FAILED=0
pass() {
  PASSED=$((PASSED + 1))
  printf '[%s] PASS %-9s %s\n' "$(elapsed)" "$1" "$2"
}
fail() {
  FAILED=$((FAILED + 1))
  printf '[%s] FAIL %-9s %s\n' "$(elapsed)" "$1" "$2"
}

# curl_reason EXIT_CODE [ERROR_FILE]: what a curl failure means here (its first error line tells
# the certificate failures apart).
curl_reason() {
  local message=""
  if [[ -n "${2-}" && -s "$2" ]]; then message="$(head -n 1 "$2")"; fi
  case "$1" in
    6) echo "hostname does not resolve" ;;
    7) echo "connection refused" ;;
    22) echo "answered an HTTP error status" ;;
    28) echo "timed out after ${TIMEOUT}s" ;;
    35) echo "TLS handshake failed" ;;
    51 | 60)
      case "$message" in
        *expired*) echo "certificate for ${CFG[HOSTNAME]} has expired" ;;
        *"subject name"* | *"match"*) echo "certificate not valid for ${CFG[HOSTNAME]} (issued for another name)" ;;
        *) echo "certificate not trusted${message:+: ${message#curl: }}" ;;
      esac
      ;;
    *) echo "curl exit $1" ;;
  esac
}

# http_check NAME URL: the URL answers with a success status over verified TLS.
http_check() {
  local name=$1 url=$2 code status=0
  code="$(curl --silent --show-error --fail --location --output /dev/null --write-out '%{http_code}' \
    --max-time "$TIMEOUT" "$url" 2>"$SMOKE_TMP/$name.err")" || status=$?
  if ((status == 0)); then
    pass "$name" "$url answered HTTP $code"
  else
    # curl writes 000 when no HTTP answer came at all.
    if [[ "$code" == "000" ]]; then code=""; fi
    fail "$name" "$url: $(curl_reason "$status" "$SMOKE_TMP/$name.err")${code:+ (HTTP $code)}"
  fi
}

HOST="${CFG[HOSTNAME]}"
SMOKE_TMP="$(mktemp -d)"
trap 'rm -rf "$SMOKE_TMP"; on_exit $?' EXIT

# 1. DNS
if addresses="$(getent hosts "$HOST")" && [[ -n "$addresses" ]]; then
  pass dns "$HOST resolves to $(awk '{print $1}' <<<"$addresses" | paste -sd, -)"
else
  fail dns "$HOST does not resolve (is the dns stack deployed? publish-dns)"
fi

# 2. TLS: any HTTP answer over a handshake whose certificate is valid for the hostname.
tls_status=0
curl --silent --show-error --output /dev/null --max-time "$TIMEOUT" "https://$HOST/" 2>"$SMOKE_TMP/tls.err" || tls_status=$?
if ((tls_status == 0)); then
  pass tls "certificate for $HOST is valid"
else
  fail tls "https://$HOST/: $(curl_reason "$tls_status" "$SMOKE_TMP/tls.err")"
fi

# 3, 4. Web and API
http_check web "https://$HOST/"
http_check api "https://$HOST${CFG[API_HEALTH_PATH]}"

# 5. Workloads, 6. metrics API
if use_cluster 2>/dev/null; then
  kubectl_status=0
  workloads="$(kube -n "${CFG[NAMESPACE]}" get deployments,statefulsets -o name 2>"$SMOKE_TMP/kubectl.err")" || kubectl_status=$?
  if ((kubectl_status != 0)); then
    fail rollout "kubectl failed (exit $kubectl_status): $(grep -v '^\s*$' "$SMOKE_TMP/kubectl.err" | tail -n 1)"
  elif [[ -n "$workloads" ]]; then
    while IFS= read -r workload; do
      if kube -n "${CFG[NAMESPACE]}" rollout status "$workload" --timeout="${TIMEOUT}s" >/dev/null 2>&1; then
        pass rollout "$workload rolled out"
      else
        fail rollout "$workload not rolled out within ${TIMEOUT}s (kubectl -n ${CFG[NAMESPACE]} describe $workload)"
      fi
    done <<<"$workloads"
  else
    fail rollout "no Deployments or StatefulSets found in namespace ${CFG[NAMESPACE]}"
  fi
  if kube get --raw /apis/metrics.k8s.io/v1beta1/nodes >/dev/null 2>&1; then
    pass metrics "metrics API answers"
  else
    fail metrics "metrics API does not answer (metrics-server: deploy-addons)"
  fi
else
  fail rollout "cannot reach cluster ${CFG[CLUSTER_NAME]} (aws eks update-kubeconfig failed)"
  fail metrics "cannot reach cluster ${CFG[CLUSTER_NAME]}"
fi

printf 'smoke-checks: %d passed, %d failed\n' "$PASSED" "$FAILED"
if ((FAILED > 0)); then exit "$EXIT_FAILED"; fi
