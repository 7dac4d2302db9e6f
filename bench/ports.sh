# Shared by run.sh and drain.sh (sourced, not run).

# A port nobody listens on, below the kernel's ephemeral range so that client sockets never hold it. Each
# start gets a fresh one: TIME_WAIT leftovers of the previous round never matter. Sets PORT; needs die().
pick_port() {
  local i hex
  for ((i = 0; i < 50; i++)); do
    PORT=$((20000 + RANDOM % 10000))
    printf -v hex ':%04X ' "$PORT"
    grep -qs -- "${hex}[0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6 || return 0
  done
  die "found no free port in 50 tries"
}
