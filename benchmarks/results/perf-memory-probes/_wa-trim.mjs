import { readFileSync } from 'node:fs';
const rss = () => +(Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024).toFixed(1);
await import(process.env.PROBE);
console.log('before trim', rss());
process.kill(process.pid, 'SIGUSR2');
await new Promise((r) => setTimeout(r, 1000));
console.log('after trim', rss());
