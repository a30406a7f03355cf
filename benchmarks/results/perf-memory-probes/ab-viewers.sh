# A/B of idle-viewers.mjs: heap and RSS per viewer, base = a build of the old commit unpacked in /tmp/mem/base (git archive + tsc), new = this checkout; run from the repo root
for i in 1 2 3; do
 for v in base new; do
  d=/work/wt/mem; [ $v = base ] && d=/tmp/mem/base
  rm -f /tmp/mem/vl.txt
  r=$(cd $d && MEMLOG_GC=1 MEMLOG=/tmp/mem/vl.txt NODEOPTS="--expose-gc --require benchmarks/results/perf-memory-probes/memlog.cjs" node $OLDPWD/benchmarks/results/perf-memory-probes/idle-viewers.mjs)
  h=$(node -e 'const l=require("fs").readFileSync("/tmp/mem/vl.txt","utf8").trim().split("\n").map(JSON.parse);console.log(((l[1].heapUsed-l[0].heapUsed)*1024/1000).toFixed(2), "KB heap/viewer, ext", ((l[1].external-l[0].external)*1024/1000).toFixed(2))')
  echo "$v $r $h"
 done
done
