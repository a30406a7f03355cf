// Objects per viewer between two heap snapshots of heap-ab.mjs (HEAPSNAP=prefix ROUNDS=1): by
// constructor or closure name, the count and bytes added, largest first. What each idle
// socket holds, by name.   node snapshot-diff.mjs before.heapsnapshot after.heapsnapshot [N]
import { readFileSync } from 'node:fs';

function tally(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((k) => f.indexOf(k));
  const out = new Map();
  for (let i = 0; i < snap.nodes.length; i += f.length) {
    const type = types[snap.nodes[i + iType]];
    const key = `${type}:${type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : snap.strings[snap.nodes[i + iName]].slice(0, 60)}`;
    const e = out.get(key) ?? { n: 0, bytes: 0 };
    e.n++;
    e.bytes += snap.nodes[i + iSize];
    out.set(key, e);
  }
  return out;
}

const [a, b] = [tally(process.argv[2]), tally(process.argv[3])];
const N = Number(process.argv[4] ?? 1000);
const rows = [];
for (const [k, e] of b) {
  const d = { n: e.n - (a.get(k)?.n ?? 0), bytes: e.bytes - (a.get(k)?.bytes ?? 0) };
  if (d.bytes > N * 4) rows.push({ what: k, perViewer: +(d.n / N).toFixed(2), bytesPerViewer: Math.round(d.bytes / N) });
}
rows.sort((x, y) => y.bytesPerViewer - x.bytesPerViewer);
console.table(rows.slice(0, 40));
console.log('total bytes per viewer', Math.round(rows.reduce((s, r) => s + r.bytesPerViewer, 0)));
