#!/usr/bin/env bash
# Builds the four factory images (linux/amd64) from their source directories, tags them with one
# immutable tag (default: the source's git commit) and pushes them to ECR. Prints the tag to
# deploy with, as FACTORY_IMAGE_TAG=<tag> on stdout.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: build-push.sh [--source DIR] [--context IMAGE=DIR]... [--tag TAG] [--allow-dirty]
  Builds factory-api, factory-web, factory-runner-controller and factory-runner and pushes them.
  --source DIR          the application checkout (default: the current directory); each image is
                        built from DIR/<image> (its Dockerfile) unless --context says otherwise
  --context IMAGE=DIR   build IMAGE from DIR instead (relative to --source unless absolute)
  --tag TAG             the tag to push (default: the source's commit, 12 hex digits)
  --allow-dirty         build from a checkout with uncommitted changes; the default tag then gets
                        the suffix -dirty-<UTC time> so it never claims to be the commit
  Tags already in ECR are not pushed again (the repositories are immutable)."

# Relative paths are relative to where the command was typed (npm run starts scripts in the project root).
cd "${INIT_CWD:-.}"
SOURCE="."
TAG=""
ALLOW_DIRTY=0
declare -A CONTEXT=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --source) SOURCE="${2-}"; shift ;;
    --context)
      if [[ "${2-}" != *=* ]]; then usage "$EXIT_USAGE" "--context wants IMAGE=DIR, got '${2-}'"; fi
      CONTEXT["${2%%=*}"]="${2#*=}"
      shift
      ;;
    --tag) TAG="${2-}"; if [[ -z "$TAG" ]]; then usage "$EXIT_USAGE" "--tag wants a value"; fi; shift ;;
    --allow-dirty) ALLOW_DIRTY=1 ;;
    -h | --help) usage 0 ;;
    *) usage "$EXIT_USAGE" "unknown argument: $1" ;;
  esac
  shift
done

step "prerequisites"
require_tools aws docker git
load_config
IFS=, read -r -a IMAGES <<<"${CFG[IMAGES]}"
if [[ ! -d "$SOURCE" ]]; then die "$EXIT_USAGE" "missing prerequisite: source directory $SOURCE"; fi
SOURCE="$(cd "$SOURCE" && pwd)"
for image in "${!CONTEXT[@]}"; do
  if [[ ",${CFG[IMAGES]}," != *",$image,"* ]]; then usage "$EXIT_USAGE" "--context: unknown image '$image' (one of ${CFG[IMAGES]})"; fi
done
missing_context=0
for image in "${IMAGES[@]}"; do
  dir="${CONTEXT[$image]:-$image}"
  if [[ "$dir" != /* ]]; then dir="$SOURCE/$dir"; fi
  CONTEXT[$image]="$dir"
  if [[ ! -f "$dir/Dockerfile" ]]; then
    printf '%s: missing prerequisite: %s/Dockerfile for %s (pass --context %s=DIR)\n' "$SCRIPT_NAME" "$dir" "$image" "$image" >&2
    missing_context=1
  fi
done
if ((missing_context)); then exit "$EXIT_USAGE"; fi

# The tag: the commit, unless --tag; a dirty tree is refused unless --allow-dirty.
REVISION=""
if git -C "$SOURCE" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  REVISION="$(git -C "$SOURCE" rev-parse HEAD)"
  changes="$(git -C "$SOURCE" status --porcelain --untracked-files=normal | wc -l)"
  if ((changes > 0)); then
    if ((!ALLOW_DIRTY)); then
      die "$EXIT_USAGE" "refusing to build: $SOURCE has $changes uncommitted change(s) (commit them, or pass --allow-dirty)"
    fi
    REVISION="$REVISION-dirty"
    if [[ -z "$TAG" ]]; then TAG="${REVISION:0:12}-dirty-$(date -u +%Y%m%d%H%M%S)"; fi
  fi
  if [[ -z "$TAG" ]]; then TAG="${REVISION:0:12}"; fi
elif [[ -z "$TAG" ]]; then
  die "$EXIT_USAGE" "missing prerequisite: $SOURCE is not a git checkout, so there is no commit to tag with (pass --tag)"
fi
# The tag is validated by config/index.ts, as FACTORY_IMAGE_TAG will be at deploy time.
config_lines "FACTORY_IMAGE_TAG=$TAG" >/dev/null || exit "$EXIT_USAGE"
require_credentials
info "tag $TAG${REVISION:+ (revision $REVISION)}"

step "log in to ${CFG[ECR_REGISTRY]}"
aws_cli ecr get-login-password | docker login --username AWS --password-stdin "${CFG[ECR_REGISTRY]}" >/dev/null

for image in "${IMAGES[@]}"; do
  repo="${CFG[STACK_PREFIX]}/$image"
  ref="${CFG[ECR_REGISTRY]}/$repo:$TAG"
  if aws_cli ecr describe-images --repository-name "$repo" --image-ids "imageTag=$TAG" >/dev/null 2>&1; then
    step "$image: $repo:$TAG is already in ECR, skipped"
    continue
  fi
  step "build $image from ${CONTEXT[$image]}"
  docker build --platform linux/amd64 \
    --label "org.opencontainers.image.revision=${REVISION:-unknown}" \
    --tag "$ref" "${CONTEXT[$image]}"
  step "push $ref"
  docker push "$ref"
done

finish
info "deploy it with: FACTORY_IMAGE_TAG=$TAG npm run deploy-app -- --yes"
printf 'FACTORY_IMAGE_TAG=%s\n' "$TAG"
