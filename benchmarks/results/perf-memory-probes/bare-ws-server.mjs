// A bare ws server (no Porthole code) for bare-ws.mjs: RSS and heap on SIGUSR2.
// bare ws server: what 1 MiB binary frames leave behind, without porthole
import { WebSocketServer } from 'ws';
import { readFileSync } from 'node:fs';
const wss = new WebSocketServer({ port: 0, maxPayload: 1 << 20, perMessageDeflate: false });
wss.on('connection', (ws) => ws.on('message', (d) => { if (process.env.TOSTR) d.toString(); }));
wss.on('listening', () => console.log('port', wss.address().port));
process.on('SIGUSR2', () => { if (global.gc) gc(); const m = process.memoryUsage(); console.log(JSON.stringify({ rss: m.rss >> 20, heapTotal: m.heapTotal >> 20, ext: m.external >> 20 })); });
