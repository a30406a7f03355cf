// Loaded into serve with --require: on SIGUSR2 it appends process.memoryUsage() and the V8 heap spaces (physical MB) to $MEMLOG; with MEMLOG_GC=1 (and --expose-gc) after a full GC.
const v8 = require('v8'); const fs = require('fs');
process.on('SIGUSR2', () => {
  if (process.env.MEMLOG_GC && global.gc) global.gc();
  const sp = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, +(s.physical_space_size / 1048576).toFixed(1)]));
  const m = process.memoryUsage();
  fs.appendFileSync(process.env.MEMLOG, JSON.stringify({ rss: +(m.rss/1048576).toFixed(1), heapTotal: +(m.heapTotal/1048576).toFixed(1), heapUsed: +(m.heapUsed/1048576).toFixed(1), external: +(m.external/1048576).toFixed(1), ab: +(m.arrayBuffers/1048576).toFixed(1), sp }) + '\n');
});
