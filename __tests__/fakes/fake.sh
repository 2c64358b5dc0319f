# shellcheck shell=bash
# The body of every stand-in executable in bin/ (aws, cdktf, curl, docker, getent, kubectl,
# terraform). The real ones cannot reach AWS from a test; these only record and answer.
#
#   FAKE_HOME        this directory (bin/* source this file from it).
#   FAKE_LOG         file; each call appends one line: "<name> <arg> <arg>..." (args joined by
#                    single spaces), prefixed by "VAR=value " for each variable named in
#                    FAKE_RECORD_ENV that is set.
#   FAKE_RULES       file of scripted answers, one rule per line, fields separated by \x1f:
#                    <glob matched against the logged call> <exit code> <stdout, printf %b> [<uses>]
#                    The first matching rule answers; a rule with <uses> answers that many calls,
#                    then is skipped. No match: exit 0, no output.
#   FAKE_STDERR_<name>  printed on stderr by a matching rule that exits non-zero (e.g. kubectl's message).
#   A manifest given on standard input (kubectl apply -f -) is appended to "$FAKE_LOG.stdin", each
#   followed by a line "---".
name="${0##*/}"
call="$name"
for arg in "$@"; do call+=" $arg"; done
prefix=""
for var in ${FAKE_RECORD_ENV:-}; do
  if [[ -n "${!var+set}" ]]; then prefix+="$var=${!var} "; fi
done
printf '%s%s\n' "$prefix" "$call" >>"${FAKE_LOG:?FAKE_LOG must name the call log}"

# Commands that read their standard input in real life read it here too.
if [[ "$name" == docker && " $* " == *" --password-stdin "* ]]; then cat >/dev/null; fi
if [[ "$name" == kubectl && " $* " == *" -f - "* ]]; then
  cat >>"$FAKE_LOG.stdin"
  echo --- >>"$FAKE_LOG.stdin"
fi

rules="${FAKE_RULES:-}"
if [[ -z "$rules" || ! -f "$rules" ]]; then exit 0; fi
n=0
while IFS=$'\x1f' read -r pattern code out uses; do
  n=$((n + 1))
  if [[ -z "$pattern" ]]; then continue; fi
  # shellcheck disable=SC2053 # the pattern is a glob on purpose
  if [[ "$call" != $pattern ]]; then continue; fi
  if [[ -n "$uses" ]]; then
    used=0
    if [[ -f "$rules.used.$n" ]]; then used="$(<"$rules.used.$n")"; fi
    if ((used >= uses)); then continue; fi
    echo $((used + 1)) >"$rules.used.$n"
  fi
  if [[ -n "$out" ]]; then printf '%b\n' "$out"; fi
  stderr_var="FAKE_STDERR_$name"
  if [[ "${code:-0}" != 0 && -n "${!stderr_var:-}" ]]; then printf '%s\n' "${!stderr_var}" >&2; fi
  exit "${code:-0}"
done <"$rules"
exit 0
