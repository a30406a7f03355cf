// Loaded into `porthole serve` with --require (and --expose-gc) by heap-ab.mjs: on SIGUSR2 it
// runs two full GCs and appends the JS heap in use (and external memory) to $HEAPLOG. With
// $HEAPSNAP it also writes a heap snapshot (HEAPSNAP.N.heapsnapshot, N = the signal's count);
// with $HEAPPROF the first signal starts V8's sampling heap profiler, counting objects already
// collected too, and the second writes what was allocated in between to $HEAPPROF (JSON).
const fs = require('node:fs');
let n = 0;
let session;
process.on('SIGUSR2', () => {
  n++;
  if (process.env.HEAPPROF && n === 2) {
    session.post('HeapProfiler.stopSampling', (err, r) => {
      if (!err) fs.writeFileSync(process.env.HEAPPROF, JSON.stringify(r.profile));
      report();
    });
    return;
  }
  report();
  if (process.env.HEAPPROF && n === 1) {
    const { Session } = require('node:inspector');
    session = new Session();
    session.connect();
    session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
});

function report() {
  global.gc();
  global.gc();
  if (process.env.HEAPSNAP) require('node:v8').writeHeapSnapshot(`${process.env.HEAPSNAP}.${n}.heapsnapshot`);
  const m = process.memoryUsage();
  fs.appendFileSync(process.env.HEAPLOG, JSON.stringify({ heapUsed: m.heapUsed, external: m.external, rss: m.rss }) + '\n');
}
