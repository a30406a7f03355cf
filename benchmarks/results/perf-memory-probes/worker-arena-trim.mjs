// worker-arena.mjs, then glibc's malloc_trim(0) called from outside by gdb (the process raises SIGUSR2 at itself and gdb, stopping on it, makes the call): what the trim gives back.
// gdb -batch -x CMDS --args node worker-arena-trim.mjs, CMDS: unset environment LINES / unset environment COLUMNS / handle SIGUSR2 stop nopass / run / call (int)malloc_trim(0) / continue (one per line); PROBE=./worker-arena.mjs
import { readFileSync } from 'node:fs';
const rss = () => +(Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024).toFixed(1);
await import(process.env.PROBE ?? "./worker-arena.mjs");
console.log('before trim', rss());
process.kill(process.pid, 'SIGUSR2');
await new Promise((r) => setTimeout(r, 1000));
console.log('after trim', rss());
