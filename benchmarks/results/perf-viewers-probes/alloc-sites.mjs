// What the joins allocated, by function (self) and by call path through Porthole's own code:
// reads the sampling heap profile heap-ab.mjs writes with HEAPPROF=file ROUNDS=1.
//   node alloc-sites.mjs file [N]   (bytes per viewer, N viewers joined while sampling)
import { readFileSync } from 'node:fs';

const root = JSON.parse(readFileSync(process.argv[2], 'utf8')).head;
const N = Number(process.argv[3] ?? 1000);
const self = new Map();
const ours = new Map();
let total = 0;
(function walk(node, stack) {
  const cf = node.callFrame;
  const here = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
  const path = [...stack, { here, mine: cf.url.includes('/dist/') }];
  if (node.selfSize) {
    total += node.selfSize;
    self.set(here, (self.get(here) ?? 0) + node.selfSize);
    // The innermost frame in Porthole's own code (dist/) owns the bytes.
    const mine = [...path].reverse().find((p) => p.mine)?.here ?? '(not ours)';
    ours.set(mine, (ours.get(mine) ?? 0) + node.selfSize);
  }
  for (const c of node.children) walk(c, path);
})(root, []);
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => ({ where: k, bytesPerViewer: Math.round(v / N) }));
console.log('allocated per viewer (bytes):', Math.round(total / N));
console.table(top(self));
console.table(top(ours));
