# shellcheck shell=bash
# The data stores' volumes. A StatefulSet's claim template is immutable, so Terraform ignores its
# size (StatefulDataStore) and a larger FACTORY_<STORE>_STORAGE grows the store's claim here:
# the claim is patched, and the EBS CSI driver grows the volume and its filesystem online (the
# class allows expansion). Nothing is replaced and no data moves. A volume never shrinks.
# Sourced by common.sh.

# to_mib QUANTITY: a whole number of Mi, Gi or Ti (config/index.ts allows no other) in MiB.
to_mib() {
  local q=$1
  case "$q" in
    *Ti) printf '%s' $((${q%Ti} * 1024 * 1024)) ;;
    *Gi) printf '%s' $((${q%Gi} * 1024)) ;;
    *Mi) printf '%s' $((${q%Mi})) ;;
    *) return 1 ;;
  esac
}

# claim_size CLAIM FIELD: the claim's spec (requested) or status (capacity) size in MiB; empty when
# there is no claim (or, for status, no capacity yet).
claim_size() {
  local jsonpath='{.spec.resources.requests.storage}'
  if [[ "$2" == status ]]; then jsonpath='{.status.capacity.storage}'; fi
  local out err mib
  err="$(mktemp)"
  # stderr apart: a warning on success (a credential plugin's) must not become part of the size.
  if ! out="$(kube -n "${CFG[NAMESPACE]}" get pvc "$1" --ignore-not-found -o "jsonpath=$jsonpath" 2>"$err")"; then
    out="$(tail -n 1 "$err")"
    rm -f "$err"
    die "$EXIT_FAILED" "cannot read claim $1 in namespace ${CFG[NAMESPACE]} from cluster ${CFG[CLUSTER_NAME]}: ${out:-kubectl failed}"
  fi
  rm -f "$err"
  if [[ -z "$out" ]]; then return 0; fi
  mib="$(to_mib "$out")" || die "$EXIT_FAILED" "claim $1 has a size this verb cannot compare: $out (expected a whole number of Mi, Gi or Ti)"
  printf '%s' "$mib"
}

# in_units MIB: the size as config/index.ts writes it (Ti, Gi or Mi, whichever is whole).
in_units() {
  if (($1 % 1048576 == 0)); then printf '%sTi' $(($1 / 1048576)); elif (($1 % 1024 == 0)); then printf '%sGi' $(($1 / 1024)); else printf '%sMi' "$1"; fi
}

# data_volumes: "store size claim" lines, one per data store, from the configuration.
data_volumes() {
  local entry
  local -a entries
  IFS=',' read -ra entries <<<"${CFG[DATA_STORE_SIZES]}"
  for entry in "${entries[@]}"; do
    printf '%s %s data-%s-0\n' "${entry%%=*}" "${entry#*=}" "${entry%%=*}"
  done
}

# refuse_shrink STORE SIZE CLAIM CURRENT_MIB: exit 2 when the size setting is below the claim.
refuse_shrink() {
  if [[ -n "$4" ]] && (($(to_mib "$2") < $4)); then
    die "$EXIT_USAGE" "FACTORY_${1^^}_STORAGE=$2 is smaller than $1's claim $3 ($(in_units "$4")): a volume cannot shrink; set it to $(in_units "$4") or more"
  fi
}

# refuse_shrinking_volumes: exit 2 when a store's size setting is below its claim (before any change).
refuse_shrinking_volumes() {
  local store size pvc current
  while read -r store size pvc; do
    # An assignment, so that a failed read (claim_size dies in its subshell) stops the verb.
    current="$(claim_size "$pvc" spec)"
    refuse_shrink "$store" "$size" "$pvc" "$current"
  done < <(data_volumes)
}

# grow_data_volumes TIMEOUT INTERVAL: patches each claim below its size setting and waits until
# its capacity has grown; a claim not created yet (its pod never started) gets the size at birth.
grow_data_volumes() {
  local timeout=$1 interval=$2 store size pvc current capacity deadline
  while read -r store size pvc; do
    current="$(claim_size "$pvc" spec)"
    if [[ -z "$current" ]]; then
      info "$store: no claim $pvc yet (its StatefulSet makes it when the pod starts)"
      continue
    fi
    refuse_shrink "$store" "$size" "$pvc" "$current"
    if (($(to_mib "$size") == current)); then
      info "$store: claim $pvc is $(in_units "$current")"
      continue
    fi
    info "$store: growing claim $pvc from $(in_units "$current") to $size (online; the store keeps running)"
    kube -n "${CFG[NAMESPACE]}" patch pvc "$pvc" --type merge -p "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"$size\"}}}}" >/dev/null ||
      die "$EXIT_FAILED" "could not grow claim $pvc to $size (kubectl -n ${CFG[NAMESPACE]} describe pvc $pvc)"
    deadline=$((SECONDS + timeout))
    while true; do
      capacity="$(claim_size "$pvc" status)"
      if [[ -n "$capacity" ]] && ((capacity >= $(to_mib "$size"))); then
        info "$store: claim $pvc is $(in_units "$capacity")"
        break
      fi
      if ((SECONDS >= deadline)); then
        if [[ -n "$capacity" ]]; then capacity="$(in_units "$capacity")"; fi
        die "$EXIT_FAILED" "claim $pvc asks for $size but its volume is still ${capacity:-unknown} after ${timeout}s (kubectl -n ${CFG[NAMESPACE]} describe pvc $pvc; EBS allows one modification per volume every 6 hours)"
      fi
      sleep "$interval"
    done
  done < <(data_volumes)
}
