// The resume ring's cost on the output hot path (PtySession.flush appends every batch):
// MiB/s of OutputRing.append for full 64 KiB batches and for tiny echo-sized ones.
// Run after `npm run build:main`: node benchmarks/output-ring.mjs
import { OutputRing } from '../dist/main/server/sessions/output-ring.js';

const ring = new OutputRing();
for (const [name, size, n] of [['64 KiB batches', 64 * 1024, 16384], ['200 B batches', 200, 2_000_000]]) {
  const chunk = Buffer.alloc(size, 0x61);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) ring.append(chunk);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const mib = (size * n) / 1048576;
  console.log(`${name}: ${mib.toFixed(0)} MiB in ${ms.toFixed(0)} ms = ${(mib / (ms / 1000)).toFixed(0)} MiB/s (${((ms * 1000) / n).toFixed(2)} µs per append)`);
}
console.log(`held ${ring.held} bytes, allocated ${ring.allocated} bytes`);
