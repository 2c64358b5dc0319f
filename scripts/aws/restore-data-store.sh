#!/usr/bin/env bash
# Restores a data store (`restore-data-store -- <postgres|minio|redis> [--yes]`) from its backups.
# It finds the recovery point (the newest completed one of the store's claim, or the one named),
# restores it into a new gp3 volume in the zone of the store's current volume (when the node group
# has a subnet there; else one it has), tagged for backup; creates a PersistentVolume for it,
# pre-bound to the claim; scales the StatefulSet to 0, recreates the claim on that volume (the old
# one is kept: Retain) and scales back, waiting until ready. Without --yes: the plan only. The
# current volume is never changed. A failure or Ctrl-C puts the claim back on it and scales the
# store back; the last line says what happened and where each volume is.
# docs/backups-and-restore.md: Restoring a data store.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

USAGE="usage: restore-data-store.sh <postgres|minio|redis> [--recovery-point ARN|latest] [--yes]
                             [--wait-timeout SECONDS] [--poll-interval SECONDS]
  Restores the data store's volume from its AWS Backup recovery point and puts the store on it.
  Prints the plan and changes nothing unless --yes is given.
  --recovery-point ARN|latest  the recovery point to restore (default: latest, the newest completed one)
  --yes                        restore (the store is down from scale-down until it is ready again)
  --wait-timeout SECONDS       for the restore job, the pod to stop and the store to be ready (default 1800)
  --poll-interval SECONDS      between checks of the restore job (default 10)"
STORES=(postgres minio redis)
STORE=""
RECOVERY_POINT=latest
WAIT_TIMEOUT=1800
POLL_INTERVAL=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    -y | --yes) ASSUME_YES=1 ;;
    --recovery-point) RECOVERY_POINT="${2-}"; shift ;;
    --recovery-point=*) RECOVERY_POINT="${1#--recovery-point=}" ;;
    --wait-timeout) WAIT_TIMEOUT="${2-}"; positive_int "$1" "$WAIT_TIMEOUT"; shift ;;
    --poll-interval) POLL_INTERVAL="${2-}"; positive_int "$1" "$POLL_INTERVAL"; shift ;;
    -h | --help) usage 0 ;;
    -*) usage "$EXIT_USAGE" "unknown argument: $1" ;;
    *)
      if [[ -n "$STORE" ]]; then usage "$EXIT_USAGE" "one data store at a time, got '$STORE' and '$1'"; fi
      STORE="$1"
      ;;
  esac
  shift
done
if [[ -z "$STORE" ]]; then usage "$EXIT_USAGE" "which data store? one of: ${STORES[*]}"; fi
if [[ ! " ${STORES[*]} " == *" $STORE "* ]]; then usage "$EXIT_USAGE" "unknown data store '$STORE' (one of: ${STORES[*]})"; fi
RP_RE='^arn:aws[a-z-]*:ec2:[a-z0-9-]+::snapshot/snap-[0-9a-f]+$'
if [[ "$RECOVERY_POINT" != latest && ! "$RECOVERY_POINT" =~ $RP_RE ]]; then
  usage "$EXIT_USAGE" "--recovery-point wants 'latest' or an EBS recovery point ARN (arn:aws:ec2:<region>::snapshot/snap-...), got '$RECOVERY_POINT'"
fi

step "prerequisites"
require_tools aws kubectl
load_config
require_credentials
require_cluster
NS="${CFG[NAMESPACE]}"
CLAIM="data-$STORE-0" # the StatefulSet's claim template "data", ordinal 0 (the stores run one replica)
BACKUP_TAG_KEY="${CFG[BACKUP_TAG]%%=*}"
BACKUP_TAG_VALUE="${CFG[BACKUP_TAG]#*=}"
if ! aws_cli backup describe-backup-vault --backup-vault-name "${CFG[BACKUP_VAULT]}" >/dev/null 2>&1; then
  die "$EXIT_USAGE" "missing prerequisite: backup vault ${CFG[BACKUP_VAULT]} not found (deploy-infra deploys the backup stack ${CFG[STACK_BACKUP]})"
fi
if ! ROLE_ARN="$(aws_cli iam get-role --role-name "${CFG[BACKUP_ROLE]}" --query Role.Arn --output text 2>/dev/null)"; then
  die "$EXIT_USAGE" "missing prerequisite: IAM role ${CFG[BACKUP_ROLE]}, which AWS Backup restores with, not found (deploy-infra deploys the backup stack ${CFG[STACK_BACKUP]})"
fi
use_cluster

# kube_read WHAT ARGS...: kubectl get, its output; exit 2 naming WHAT when kubectl fails.
kube_read() {
  local what=$1 out err
  shift
  err="$(mktemp)"
  if ! out="$(kube "$@" 2>"$err")"; then
    local message
    message="$(grep -v '^\s*$' "$err" | tail -n 1)"
    rm -f "$err"
    if [[ "$message" == *NotFound* || "$message" == *"not found"* ]]; then
      die "$EXIT_USAGE" "missing prerequisite: $what not found in namespace $NS (deploy-app deploys the data stores)"
    fi
    die "$EXIT_USAGE" "cannot read $what from cluster ${CFG[CLUSTER_NAME]}: ${message:-kubectl failed}"
  fi
  rm -f "$err"
  printf '%s' "$out"
}

REPLICAS="$(kube_read "statefulset/$STORE" -n "$NS" get statefulset "$STORE" -o 'jsonpath={.spec.replicas}')"
if [[ ! "$REPLICAS" =~ ^[01]$ ]]; then
  die "$EXIT_USAGE" "statefulset/$STORE has ${REPLICAS:-no} replicas; a data store runs one (a restore swaps the volume of $CLAIM only)"
fi
CLAIM_LABELS="$(kube_read "statefulset/$STORE" -n "$NS" get statefulset "$STORE" -o 'jsonpath={.spec.volumeClaimTemplates[0].metadata.labels}')"
if [[ "$CLAIM_LABELS" != \{* ]]; then CLAIM_LABELS="{}"; fi
claim_fields="$(kube_read "claim $CLAIM" -n "$NS" get pvc "$CLAIM" \
  -o 'jsonpath={.spec.volumeName}{" "}{.spec.storageClassName}{" "}{.spec.resources.requests.storage}')"
read -r OLD_PV CLAIM_CLASS CLAIM_SIZE <<<"$claim_fields" || true
if [[ -z "${OLD_PV:-}" || -z "${CLAIM_SIZE:-}" ]]; then
  die "$EXIT_USAGE" "claim $CLAIM in namespace $NS is not bound to a volume (kubectl -n $NS describe pvc $CLAIM)"
fi
pv_fields="$(kube_read "PersistentVolume $OLD_PV" get pv "$OLD_PV" -o 'jsonpath={.spec.csi.volumeHandle}{" "}{.spec.persistentVolumeReclaimPolicy}')"
read -r OLD_VOL OLD_POLICY <<<"$pv_fields" || true
if [[ ! "${OLD_VOL:-}" =~ ^vol-[0-9a-f]+$ ]]; then
  die "$EXIT_USAGE" "PersistentVolume $OLD_PV of claim $CLAIM is not an EBS CSI volume (volumeHandle '${OLD_VOL:-}')"
fi
if ! read -r OLD_ZONE OLD_SIZE < <(aws_cli ec2 describe-volumes --volume-ids "$OLD_VOL" --query 'Volumes[0].[AvailabilityZone,Size]' --output text 2>/dev/null); then
  die "$EXIT_USAGE" "volume $OLD_VOL of claim $CLAIM not found in ${CFG[REGION]}"
fi

# The zones the node group's subnets are in: where a pod of the store can be scheduled.
ZONES=()
subnets=()
for group in $(aws_cli eks list-nodegroups --cluster-name "${CFG[CLUSTER_NAME]}" --query nodegroups --output text); do
  if [[ "$group" == None ]]; then continue; fi
  read -r -a group_subnets < <(aws_cli eks describe-nodegroup --cluster-name "${CFG[CLUSTER_NAME]}" --nodegroup-name "$group" --query nodegroup.subnets --output text)
  subnets+=("${group_subnets[@]}")
done
if ((${#subnets[@]})); then
  mapfile -t ZONES < <(aws_cli ec2 describe-subnets --subnet-ids "${subnets[@]}" --query 'Subnets[].AvailabilityZone' --output text | tr -s '[:space:]' '\n' | grep -v '^$' | sort -u)
fi
if ((${#ZONES[@]} == 0)); then
  die "$EXIT_USAGE" "missing prerequisite: cluster ${CFG[CLUSTER_NAME]} has no node group with subnets (deploy-infra)"
fi
ZONE="${ZONES[0]}"
for zone in "${ZONES[@]}"; do if [[ "$zone" == "$OLD_ZONE" ]]; then ZONE="$OLD_ZONE"; fi; done

step "recovery point"
# The store's recovery points: snapshots of any volume of its claim (the EBS CSI driver tags each
# volume with its claim, AWS Backup copies a volume's tags to its snapshot, and a restored volume is
# tagged here the same way), and any of its current volume.
if ! snapshots="$(aws_cli ec2 describe-snapshots --owner-ids self \
  --filters "Name=tag:kubernetes.io/created-for/pvc/name,Values=$CLAIM" "Name=tag:kubernetes.io/created-for/pvc/namespace,Values=$NS" \
  --query 'Snapshots[].[SnapshotId,VolumeSize]' --output text)"; then
  die "$EXIT_USAGE" "cannot list the snapshots of claim $CLAIM (the aws CLI's message is above)"
fi
declare -A SNAP_SIZE=()
while read -r snap size; do
  if [[ -n "$snap" && "$snap" != None ]]; then SNAP_SIZE[$snap]="$size"; fi
done <<<"$snapshots"
if ! listed="$(aws_cli backup list-recovery-points-by-backup-vault --backup-vault-name "${CFG[BACKUP_VAULT]}" --by-resource-type EBS \
  --query "RecoveryPoints[?Status=='COMPLETED'].[CreationDate,RecoveryPointArn,ResourceArn]" --output text)"; then
  die "$EXIT_USAGE" "cannot list the recovery points of vault ${CFG[BACKUP_VAULT]} (the aws CLI's message is above)"
fi
POINTS=()
while IFS=$'\t' read -r created arn resource; do
  if [[ -z "$arn" || "$arn" == None ]]; then continue; fi
  if [[ -n "${SNAP_SIZE[${arn##*/}]+set}" || "$resource" == */"$OLD_VOL" ]]; then POINTS+=("$created"$'\t'"$arn"$'\t'"$resource"); fi
done <<<"$listed"
if ((${#POINTS[@]} == 0)); then
  die "$EXIT_USAGE" "no completed recovery point of $STORE (claim $CLAIM, volume $OLD_VOL) in vault ${CFG[BACKUP_VAULT]}: the daily backup runs at 03:00 UTC, and a volume created since has none yet"
fi
if [[ "$RECOVERY_POINT" == latest ]]; then
  CHOSEN="$(printf '%s\n' "${POINTS[@]}" | sort -r | head -n 1)"
else
  CHOSEN="$(printf '%s\n' "${POINTS[@]}" | awk -F '\t' -v arn="$RECOVERY_POINT" '$2 == arn' | head -n 1)"
  if [[ -z "$CHOSEN" ]]; then
    die "$EXIT_USAGE" "recovery point $RECOVERY_POINT is not a completed recovery point of $STORE (claim $CLAIM) in vault ${CFG[BACKUP_VAULT]} (aws backup list-recovery-points-by-backup-vault --backup-vault-name ${CFG[BACKUP_VAULT]})"
  fi
fi
IFS=$'\t' read -r RP_CREATED RP_ARN RP_RESOURCE <<<"$CHOSEN"
# AWS CLI v1 prints the API's epoch seconds, v2 an ISO 8601 time.
if [[ "$RP_CREATED" =~ ^([0-9]+)(\.[0-9]+)?$ ]]; then RP_CREATED="$(date -u -d "@${BASH_REMATCH[1]}" +%Y-%m-%dT%H:%M:%SZ)"; fi
SNAP="${RP_ARN##*/}"

# Size: at least the claim's request, the current volume's size and the snapshot's (EBS never shrinks).
SIZE="$OLD_SIZE"
if [[ "$CLAIM_SIZE" =~ ^([0-9]+)Gi$ ]] && ((BASH_REMATCH[1] > SIZE)); then SIZE="${BASH_REMATCH[1]}"; fi
if [[ "$CLAIM_SIZE" =~ ^([0-9]+)Ti$ ]] && ((BASH_REMATCH[1] * 1024 > SIZE)); then SIZE=$((BASH_REMATCH[1] * 1024)); fi
if [[ "${SNAP_SIZE[$SNAP]:-0}" =~ ^[0-9]+$ ]] && ((SNAP_SIZE[$SNAP] > SIZE)); then SIZE="${SNAP_SIZE[$SNAP]}"; fi

info "store          statefulset/$STORE in namespace $NS ($REPLICAS replica(s)), claim $CLAIM"
info "recovery point $RP_ARN, created $RP_CREATED, of volume ${RP_RESOURCE##*/}"
info "restore into   a new encrypted gp3 volume of ${SIZE} GiB in $ZONE (node group zones: ${ZONES[*]}; the current volume is in $OLD_ZONE)"
info "then           scale $STORE to 0, bind $CLAIM to the restored volume, scale back to $REPLICAS and wait until ready"
info "kept           the current volume $OLD_VOL (PersistentVolume $OLD_PV, reclaim policy $OLD_POLICY), unchanged"
if ((!ASSUME_YES)); then
  CURRENT_STEP=""
  printf '==> [%s] %s: plan only; nothing was changed (add --yes to restore %s)\n' "$(elapsed)" "$SCRIPT_NAME" "$STORE" >&2
  exit 0
fi

# ---- from here on, what was changed is undone on failure (see rollback) ---------------------

PHASE=""      # how far the restore got: job, restored, pv, scaled-down, claim-swapped, scaled-up
NEW_VOL=""
NEW_PV=""

# result MESSAGE: the reason the last line gives.
result() { printf '%s' "$1" >"$FACTORY_RESULT_FILE"; }

# apply_claim PV: the store's claim, bound to PersistentVolume PV.
apply_claim() {
  kube -n "$NS" apply -f - >/dev/null <<EOF
{
  "apiVersion": "v1",
  "kind": "PersistentVolumeClaim",
  "metadata": {"name": "$CLAIM", "namespace": "$NS", "labels": $CLAIM_LABELS},
  "spec": {
    "accessModes": ["ReadWriteOnce"],
    "storageClassName": "$CLAIM_CLASS",
    "volumeName": "$1",
    "resources": {"requests": {"storage": "$CLAIM_SIZE"}}
  }
}
EOF
}

# rebind_old_claim: the claim back on the current volume (after the claim was deleted).
rebind_old_claim() {
  kube -n "$NS" delete pvc "$CLAIM" --ignore-not-found --wait=true --timeout="${WAIT_TIMEOUT}s" >/dev/null &&
    kube patch pv "$OLD_PV" --type merge -p '{"spec":{"claimRef":null}}' >/dev/null &&
    apply_claim "$OLD_PV" &&
    kube -n "$NS" wait --for=jsonpath='{.status.phase}'=Bound "pvc/$CLAIM" --timeout="${WAIT_TIMEOUT}s" >/dev/null
}

# scale_back: the store back to its replicas, then the restored volume's unused PersistentVolume
# removed (the volume itself stays: Retain).
scale_back() {
  kube -n "$NS" scale statefulset "$STORE" --replicas="$REPLICAS" >/dev/null 2>&1 || return 1
  kube delete pv "$NEW_PV" --ignore-not-found --wait=false >/dev/null 2>&1 || true
}

# rollback: undo what this run changed in the cluster, best effort, and say what is where.
rollback() {
  local kept="the restored volume $NEW_VOL is kept, unattached (aws ec2 delete-volume --volume-id $NEW_VOL once not needed)"
  trap '' INT TERM HUP # a second Ctrl-C must not cut the rollback short
  case "$PHASE" in
    "") return 0 ;;
    job)
      result "nothing in the cluster was changed; restore job $JOB may still create a volume (aws backup describe-restore-job --restore-job-id $JOB; delete the volume it names once not needed)" ;;
    restored)
      result "nothing in the cluster was changed; $kept" ;;
    pv)
      kube delete pv "$NEW_PV" --ignore-not-found --wait=false >/dev/null 2>&1 || true
      result "nothing in the cluster was changed; $kept" ;;
    scaled-down)
      if scale_back; then
        result "rolled back: $STORE scaled back to $REPLICAS replica(s) on its own volume $OLD_VOL; $kept"
      else
        result "rollback failed: $STORE is at 0 replicas on its own volume $OLD_VOL (kubectl -n $NS scale statefulset $STORE --replicas=$REPLICAS); $kept"
      fi ;;
    claim-swapped)
      info "putting claim $CLAIM back on $OLD_VOL (PersistentVolume $OLD_PV)"
      if rebind_old_claim 2>/dev/null && scale_back; then
        result "rolled back: claim $CLAIM is bound to $OLD_VOL again and $STORE is scaled back to $REPLICAS replica(s) on it; $kept"
      else
        # Never scale up without the claim on a volume with the data: the StatefulSet would create
        # a new, empty one.
        result "rollback failed: $STORE is left at 0 replicas so that it cannot start on an empty volume; its data is on $OLD_VOL (PersistentVolume $OLD_PV): bind claim $CLAIM to it, then scale up (docs/backups-and-restore.md: Restoring a data store, by hand); $kept"
      fi ;;
    scaled-up)
      result "$STORE runs on the restored volume $NEW_VOL but is not ready (kubectl -n $NS describe pod $STORE-0); the previous volume $OLD_VOL is kept (PersistentVolume $OLD_PV)" ;;
  esac
}
trap 'status=$?; if ((status != 0)); then rollback; fi; on_exit "$status"' EXIT

step "restore $SNAP into a new volume in $ZONE"
JOB="$(aws_cli backup start-restore-job --recovery-point-arn "$RP_ARN" --iam-role-arn "$ROLE_ARN" --resource-type EBS \
  --copy-source-tags-to-restored-resource \
  --metadata "availabilityZone=$ZONE,volumeType=gp3,volumeSize=$SIZE,encrypted=true" --query RestoreJobId --output text)"
info "restore job $JOB"
PHASE=job
deadline=$((SECONDS + WAIT_TIMEOUT))
while true; do
  IFS=$'\t' read -r job_status created_arn job_message < <(aws_cli backup describe-restore-job --restore-job-id "$JOB" \
    --query '[Status,CreatedResourceArn,StatusMessage]' --output text)
  case "$job_status" in
    COMPLETED) break ;;
    FAILED | ABORTED) PHASE=""; die "$EXIT_FAILED" "restore job $JOB $job_status: ${job_message:-no message}; nothing in the cluster was changed" ;;
  esac
  if ((SECONDS >= deadline)); then
    die "$EXIT_FAILED" "restore job $JOB still $job_status after ${WAIT_TIMEOUT}s (aws backup describe-restore-job --restore-job-id $JOB); nothing in the cluster was changed"
  fi
  info "restore job $JOB: $job_status; waiting"
  sleep "$POLL_INTERVAL"
done
NEW_VOL="${created_arn##*/}"
if [[ ! "$NEW_VOL" =~ ^vol-[0-9a-f]+$ ]]; then die "$EXIT_FAILED" "restore job $JOB completed without a volume (CreatedResourceArn '$created_arn')"; fi
PHASE=restored
# The restored volume is a data volume like the one it replaces: backed up, and known as the claim's.
aws_cli ec2 create-tags --resources "$NEW_VOL" --tags "Key=$BACKUP_TAG_KEY,Value=$BACKUP_TAG_VALUE" \
  "Key=kubernetes.io/created-for/pvc/name,Value=$CLAIM" "Key=kubernetes.io/created-for/pvc/namespace,Value=$NS" \
  "Key=${CFG[STACK_PREFIX]}/restored-from,Value=$SNAP"
aws_cli ec2 wait volume-available --volume-ids "$NEW_VOL"
info "restored volume $NEW_VOL ($SIZE GiB, $ZONE)"

step "PersistentVolume for $NEW_VOL, pre-bound to claim $CLAIM"
NEW_PV="$STORE-restore-${NEW_VOL#vol-}"
if [[ "$OLD_POLICY" != Retain ]]; then
  # Deleting the claim must not delete the volume it replaces.
  kube patch pv "$OLD_PV" --type merge -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}' >/dev/null
fi
PHASE=pv
kube apply -f - >/dev/null <<EOF
{
  "apiVersion": "v1",
  "kind": "PersistentVolume",
  "metadata": {"name": "$NEW_PV", "labels": {"app.kubernetes.io/name": "$STORE", "${CFG[STACK_PREFIX]}/restored-from": "$SNAP"}},
  "spec": {
    "capacity": {"storage": "${SIZE}Gi"},
    "accessModes": ["ReadWriteOnce"],
    "volumeMode": "Filesystem",
    "persistentVolumeReclaimPolicy": "Retain",
    "storageClassName": "$CLAIM_CLASS",
    "claimRef": {"namespace": "$NS", "name": "$CLAIM"},
    "csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "$NEW_VOL", "fsType": "ext4"},
    "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["$ZONE"]}]}]}}
  }
}
EOF

step "scale $STORE to 0"
PHASE=scaled-down
kube -n "$NS" scale statefulset "$STORE" --replicas=0 >/dev/null
kube -n "$NS" wait --for=delete "pod/$STORE-0" --timeout="${WAIT_TIMEOUT}s" >/dev/null

step "bind claim $CLAIM to $NEW_VOL"
PHASE=claim-swapped
kube -n "$NS" delete pvc "$CLAIM" --wait=true --timeout="${WAIT_TIMEOUT}s" >/dev/null
apply_claim "$NEW_PV"
kube -n "$NS" wait --for=jsonpath='{.status.phase}'=Bound "pvc/$CLAIM" --timeout="${WAIT_TIMEOUT}s" >/dev/null

step "scale $STORE back to $REPLICAS and wait until ready"
PHASE=scaled-up
kube -n "$NS" scale statefulset "$STORE" --replicas="$REPLICAS" >/dev/null
kube -n "$NS" rollout status "statefulset/$STORE" --timeout="${WAIT_TIMEOUT}s" >/dev/null

PHASE=""
info "$STORE runs on $NEW_VOL, restored from $RP_ARN ($RP_CREATED)"
info "kept: the previous volume $OLD_VOL (PersistentVolume $OLD_PV, Released); once the restore is verified:"
info "  kubectl delete pv $OLD_PV && aws ec2 delete-volume --volume-id $OLD_VOL"
finish
