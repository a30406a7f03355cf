// The floor for RSS per idle viewer: a bare `ws` server (no Porthole code) that answers each
// socket with one `ready` text frame and then holds it, as Porthole holds an idle viewer.
// Prints the same listening line as `porthole serve`, and answers any HTTP request with a
// session id, so viewers-ab.mjs and heap-ab.mjs start and use both alike (it ignores its args).
import http from 'node:http';
import { WebSocketServer } from 'ws';

const server = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x"}'));
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.send('{"type":"ready"}')));
server.listen(0, '127.0.0.1', () => process.stdout.write(`Porthole listening on http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
