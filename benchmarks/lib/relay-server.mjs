// The least a terminal-sharing server can do per output chunk, for the flood bound: read the
// PTY (node-pty, as Porthole does) and write each chunk to every viewer's WebSocket (ws, as
// Porthole does). It speaks just enough of Porthole's API for benchmarks/flood-ab.mjs and the
// viewer farm: POST /api/sessions, POST .../input, DELETE (answered once the exit is reported),
// and GET .../ws (text `ready`, then binary output); benchmarks/lifecycle-ab.mjs uses the first
// and the third: the least a create + delete over HTTP costs. Optional work, one flag each, shows what each costs on its own:
//   --batch        coalesce output like Porthole (64 KiB or 4 ms) instead of a frame per read
//   --parse        also hand every batch to a worker thread that parses it with @xterm/headless
//                  (a copy per postMessage, nice 10: Porthole's screen worker without the rest)
//   --parse-idle   the same worker at SCHED_IDLE (chrt -i 0): it runs only on an idle core
//   --parse-nice=N the same worker at nice N instead of 10
// Prints `Porthole listening on http://127.0.0.1:PORT` like `porthole serve`.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const pty = require('@lydell/node-pty');
const { WebSocketServer } = require('ws');

const args = new Set(process.argv.slice(2));
const BATCH = args.has('--batch');
const niceArg = [...args].find((a) => a.startsWith('--parse-nice='));
const PARSE = args.has('--parse') || args.has('--parse-idle') || Boolean(niceArg);
const NICE = niceArg ? Number(niceArg.split('=')[1]) : 10;
const BATCH_MAX = 64 * 1024;
const BATCH_MS = 4;

const WORKER_SRC = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const os = require('node:os');
const { Terminal } = require(${JSON.stringify(require.resolve('@xterm/headless'))});
const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
try { os.setPriority(tid, ${NICE}); } catch {}
parentPort.postMessage({ tid });
const terms = new Map();
parentPort.on('message', (m) => {
  let t = terms.get(m.s);
  if (!t) terms.set(m.s, (t = new Terminal({ cols: 80, rows: 24, scrollback: 10000, allowProposedApi: true })));
  t.write(m.d);
});
`;

let worker;
function parser() {
  if (!PARSE) return undefined;
  if (!worker) {
    worker = new Worker(WORKER_SRC, { eval: true });
    worker.once('message', ({ tid }) => {
      if (args.has('--parse-idle')) {
        try {
          execFileSync('chrt', ['-i', '-p', '0', String(tid)]);
        } catch (err) {
          process.stderr.write(`relay: chrt failed: ${err.message}\n`);
        }
      }
    });
  }
  return worker;
}

const sessions = new Map();
let nextId = 1;

function create(command) {
  const id = String(nextId++);
  const p = pty.spawn(command[0], command.slice(1), { cols: 80, rows: 24, cwd: os.tmpdir(), env: process.env, encoding: null });
  const s = { id, p, sockets: new Set(), pending: [], pendingBytes: 0, timer: undefined };
  const send = (buf) => {
    for (const ws of s.sockets) ws.send(buf, { binary: true });
    parser()?.postMessage({ s: id, d: buf });
  };
  const flush = () => {
    clearTimeout(s.timer);
    s.timer = undefined;
    if (s.pendingBytes === 0) return;
    const buf = s.pending.length === 1 ? s.pending[0] : Buffer.concat(s.pending, s.pendingBytes);
    s.pending = [];
    s.pendingBytes = 0;
    send(buf);
  };
  p.onData((d) => {
    if (!BATCH) return send(d);
    s.pending.push(d);
    s.pendingBytes += d.length;
    if (s.pendingBytes >= BATCH_MAX) flush();
    else s.timer ??= setTimeout(flush, BATCH_MS);
  });
  p.onExit(() => {
    for (const ws of s.sockets) ws.close(1000);
    sessions.delete(id);
  });
  sessions.set(id, s);
  return id;
}

function body(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {}));
  });
}

const server = http.createServer(async (req, res) => {
  const m = /^\/api\/sessions(?:\/([^/]+))?(\/input)?$/.exec(req.url ?? '');
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  const [, id, input] = m;
  if (req.method === 'POST' && !id) {
    const b = await body(req);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: create(b.command) }));
  } else if (req.method === 'POST' && input) {
    const b = await body(req);
    sessions.get(id)?.p.write(b.data);
    res.writeHead(204).end();
  } else if (req.method === 'DELETE') {
    // Like Porthole's: hang up the group and answer once the PTY has reported the exit.
    await body(req);
    const s = sessions.get(id);
    if (!s) return res.writeHead(404).end();
    s.p.onExit(() => res.writeHead(204).end());
    try {
      process.kill(-s.p.pid, 'SIGHUP');
    } catch {
      s.p.kill('SIGHUP'); // not yet its own group leader
    }
  } else res.writeHead(405).end();
});

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  const m = /^\/api\/sessions\/([^/]+)\/ws$/.exec(req.url ?? '');
  const s = m && sessions.get(m[1]);
  if (!s) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.send(JSON.stringify({ type: 'ready' }));
    s.sockets.add(ws);
    ws.on('close', () => s.sockets.delete(ws));
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Porthole listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  for (const s of sessions.values()) {
    try {
      process.kill(-s.p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
