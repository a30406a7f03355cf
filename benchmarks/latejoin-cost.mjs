// What the visible-rows copy (screen-worker.ts VISIBLE_CACHE_MS) costs, in counts, not times:
// how many 24-row serializations the worker sends to the server thread during a flood of
// 1,000,000 lines and during typing. Run after a build: node benchmarks/latejoin-cost.mjs
import { ScreenHost } from '../dist/main/server/sessions/screen-host.js';
const logger = { error() {}, warn() {}, info() {}, debug() {}, child() { return logger; } };
const host = new ScreenHost(logger);
const counts = { ack: 0, visible: 0 };
let done = 0;
const s = host.open({ onMessage: (m) => { counts[m.t] = (counts[m.t] ?? 0) + 1; if (m.t !== 'title') done = m.done; }, onLost() {} }, 80, 24, 10000);
const text = Array.from({ length: 1_000_000 }, (_, i) => `${i + 1}\r\n`).join('');
const buf = Buffer.from(text);
let n = 0;
const t0 = performance.now();
for (let off = 0; off < buf.length; off += 32 * 1024) {
  host.post(s, { t: 'data', d: buf.subarray(off, off + 32 * 1024) });
  n++;
  if (n % 4 === 0) await new Promise((r) => setTimeout(r, 1)); // PTY-like pacing
}
while (done < n) await new Promise((r) => setTimeout(r, 10));
await new Promise((r) => setTimeout(r, 100));
console.log(`flood: ${n} chunks (${(buf.length / 1e6).toFixed(1)} MB) in ${(performance.now() - t0).toFixed(0)} ms -> acks ${counts.ack}, visible ${counts.visible}`);
const before = counts.visible;
for (let i = 0; i < 50; i++) {
  host.post(s, { t: 'data', d: Buffer.from('k') });
  n++;
  await new Promise((r) => setTimeout(r, i % 2 ? 5 : 60)); // bursts of 2 keys, 60 ms apart
}
await new Promise((r) => setTimeout(r, 100));
console.log(`typing: 50 keys (25 pairs) -> visible ${counts.visible - before}`);
await host.dispose();
