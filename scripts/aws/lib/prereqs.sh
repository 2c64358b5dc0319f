# shellcheck shell=bash
# Prerequisites: the tools a verb needs, AWS credentials for the configured account, the images
# of FACTORY_IMAGE_TAG in ECR and an active cluster. Each failure exits 2: nothing was changed.
# Sourced by common.sh.

# tool_hint TOOL: prints how to install it.
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
  if [[ ! -e "$ROOT/node_modules/esbuild" ]]; then
    printf '%s: missing prerequisite: node_modules (run npm ci in %s)\n' "$SCRIPT_NAME" "$ROOT" >&2
    missing=1
  fi
  if ((missing)); then exit "$EXIT_USAGE"; fi
}

# profile_hint: prints how to get credentials for the configured profile.
profile_hint() {
  if [[ -n "${CFG[AWS_PROFILE]}" ]]; then
    echo "run 'aws sso login --profile ${CFG[AWS_PROFILE]}', or set FACTORY_AWS_PROFILE (empty: default credential chain)"
  else
    echo "set AWS credentials for the default chain, or FACTORY_AWS_PROFILE"
  fi
}

# require_credentials: the active AWS credentials belong to the configured account.
require_credentials() {
  local account
  if ! account="$(aws_cli sts get-caller-identity --query Account --output text 2>/dev/null)"; then
    die "$EXIT_USAGE" "missing prerequisite: AWS credentials for account ${CFG[ACCOUNT_ID]} ($(profile_hint))"
  fi
  if [[ "$account" != "${CFG[ACCOUNT_ID]}" ]]; then
    die "$EXIT_USAGE" "missing prerequisite: AWS credentials for account ${CFG[ACCOUNT_ID]}; the active ones are for account $account ($(profile_hint))"
  fi
}

# resolve_image_tag required|optional [CODE]: with FACTORY_IMAGE_TAG unset, the tag the app stack
# runs now, read from its state (scripts/deployed-tag.ts), exported for the engine and said. When the
# app stack runs no factory image yet, `required` stops (a first deploy needs a tag) and `optional`
# goes on without one (an app stack with no state is not planned; one with state but no image
# stops at its tag guard). Stops with CODE (default 2).
resolve_image_tag() {
  local tag status=0 err code=${2:-$EXIT_USAGE}
  if [[ -n "${CFG[IMAGE_TAG]}" ]]; then return 0; fi
  err="$(mktemp)"
  tag="$(cd "$ROOT" && node --require ./scripts/ts-register.js scripts/deployed-tag.ts 2>"$err")" || status=$?
  local message
  message="$(tail -n 1 "$err")"
  rm -f "$err"
  case "$status" in
    0)
      CFG[IMAGE_TAG]="$tag"
      export FACTORY_IMAGE_TAG="$tag"
      info "image tag: $tag (what ${CFG[STACK_APP]} runs now; FACTORY_IMAGE_TAG picks another)"
      ;;
    3) # no app deployed: scripts/deployed-tag.ts NO_APP_DEPLOYED
      if [[ "$1" == required ]]; then
        die "$code" "missing prerequisite: FACTORY_IMAGE_TAG (the app stack runs no image yet to take it from: the tag build-push printed; a new account: deploy-all --source DIR)"
      fi
      ;;
    *) die "$code" "cannot tell which image tag ${CFG[STACK_APP]} runs: ${message:-deployed-tag failed}; set FACTORY_IMAGE_TAG" ;;
  esac
}

# missing_image: the first of the four repositories that has no image at FACTORY_IMAGE_TAG, or
# nothing when all four have it.
missing_image() {
  local repo
  for repo in ${CFG[ECR_REPOSITORIES]//,/ }; do
    if ! aws_cli ecr describe-images --repository-name "$repo" --image-ids "imageTag=${CFG[IMAGE_TAG]}" >/dev/null 2>&1; then
      printf '%s\n' "$repo"
      return 0
    fi
  done
}

# require_image_tag [CODE]: FACTORY_IMAGE_TAG is set and its four images are in ECR (else exit
# CODE, default 2), so that no plan is made of images that cannot be pulled.
require_image_tag() {
  local repo code=${1:-$EXIT_USAGE}
  if [[ -z "${CFG[IMAGE_TAG]}" ]]; then
    die "$code" "missing prerequisite: FACTORY_IMAGE_TAG (the tag build-push printed; a new account: deploy-all --source DIR builds and pushes it)"
  fi
  repo="$(missing_image)"
  if [[ -n "$repo" ]]; then
    die "$code" "missing prerequisite: image $repo:${CFG[IMAGE_TAG]} is not in ECR (run build-push, or pick a published tag)"
  fi
}

# source_commit_tag DIR: the tag build-push gives a clean checkout by default (its commit, 12 hex
# digits); exit 2 when DIR is not a git checkout or has uncommitted changes.
source_commit_tag() {
  local dir=$1 changes
  if ! git -C "$dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    die "$EXIT_USAGE" "missing prerequisite: $dir is not a git checkout, so there is no commit to tag its images with (build-push --tag TAG, then FACTORY_IMAGE_TAG=TAG)"
  fi
  changes="$(git -C "$dir" status --porcelain --untracked-files=normal | wc -l)"
  if ((changes > 0)); then
    die "$EXIT_USAGE" "refusing to build: $dir has $changes uncommitted change(s) (commit them; or build-push --allow-dirty, then FACTORY_IMAGE_TAG=<the tag it printed>)"
  fi
  git -C "$dir" rev-parse --short=12 HEAD
}

# require_cluster: the EKS cluster is ACTIVE (deploy-infra has run).
require_cluster() {
  local status
  status="$(aws_cli eks describe-cluster --name "${CFG[CLUSTER_NAME]}" --query cluster.status --output text 2>/dev/null || true)"
  if [[ "$status" != "ACTIVE" ]]; then
    die "$EXIT_USAGE" "missing prerequisite: EKS cluster ${CFG[CLUSTER_NAME]} is ${status:-not found}, not ACTIVE (run deploy-infra first)"
  fi
}
