# output-floods.mjs A/B, interleaved: BASE = a build of the base commit (default /tmp/idlemem/base),
# NEW = this worktree; N pairs (default 3); the child's --trace-gc output goes to /tmp/ab-floods-*.txt.
P=$PWD/benchmarks/results/perf-memory-probes/output-floods.mjs
BASE=${BASE:-/tmp/idlemem/base}; NEW=${NEW:-$PWD}
for i in $(seq 1 ${N:-3}); do
  for v in base new; do
    d=$BASE; [ $v = new ] && d=$NEW
    echo "$v $(cd $d && TRACE=/tmp/ab-floods-$v-$i.txt NODEOPTS=--trace-gc node $P)"
  done
done
