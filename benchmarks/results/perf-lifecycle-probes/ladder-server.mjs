// One rung of the "relay ladder" (perf-lifecycle.md): the least an HTTP server can do for
// lifecycle-ab.mjs's loop (POST /api/sessions spawns `cat` on a PTY, DELETE hangs up its group
// and answers once the PTY reports the exit: two HTTP round trips per create + delete), then
// the same with one more of Porthole's costs per rung, so each rung's ratio to the raw spawn
// loop says what that cost is. It runs under Node (node-pty) or Bun (Bun.spawn's terminal), the
// PTY that benchmarks/lib/raw-pty.mjs, the baseline, uses.
//   --rung=noop     HTTP only: POST answers an id and spawns nothing, DELETE answers 204
//   --rung=relay    + the PTY spawn and the hang-up (benchmarks/lib/relay-server.mjs's loop)
//   --rung=checks   + Porthole's cwd check, PATH lookup and child env (dist/.../launch.js)
//   --rung=express  + express 5 and its JSON body parser in front (what the fast path skips)
// Prints `Porthole listening on http://127.0.0.1:PORT`; serve flags after the rung are ignored.
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pty } from '../../lib/raw-pty.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const rung = (process.argv.find((a) => a.startsWith('--rung=')) ?? '--rung=relay').split('=')[1];
const RUNGS = ['noop', 'relay', 'checks', 'express'];
if (!RUNGS.includes(rung)) throw new Error(`--rung must be one of ${RUNGS.join(', ')}`);
const level = RUNGS.indexOf(rung);
// Built by `npm run build:main`: the same functions Porthole's create runs before its spawn.
const launch = level >= 2 ? await import(path.join(root, 'dist/main/server/sessions/launch.js')) : undefined;

const sessions = new Map();
let nextId = 1;

async function create(command, cwdArg) {
  const id = String(nextId++);
  if (level === 0) return id;
  let file = command[0];
  let cwd = cwdArg ?? os.tmpdir();
  let env = process.env;
  if (launch) {
    env = launch.childEnv(process.env, undefined);
    [cwd, file] = await Promise.all([launch.resolveCwd(cwdArg), launch.resolveCommand(command[0], env, launch.cwdPath(cwdArg))]);
  }
  sessions.set(id, pty.spawn(file, command.slice(1), { cols: 80, rows: 24, cwd, env }));
  return id;
}

function remove(id, done) {
  if (level === 0) return done(204);
  const p = sessions.get(id);
  if (!p) return done(404);
  sessions.delete(id);
  p.onExit(() => done(204));
  try {
    process.kill(-p.pid, 'SIGHUP');
  } catch {
    p.kill('SIGHUP'); // not yet its own group leader
  }
}

const readBody = (req) =>
  new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {}));
  });

const ONE = /^\/api\/sessions\/([^/?]+)$/;
let handler;
if (rung === 'express') {
  const express = createRequire(path.join(root, 'package.json'))('express');
  const app = express();
  app.use('/api', express.json({ limit: 128 * 1024, strict: true }));
  app.post('/api/sessions', async (req, res) => res.status(201).json({ id: await create(req.body.command, req.body.cwd) }));
  app.delete('/api/sessions/:id', (req, res) => remove(req.params.id, (status) => res.status(status).end()));
  handler = app;
} else {
  handler = async (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/api/sessions') {
      const b = await readBody(req);
      const text = JSON.stringify({ id: await create(b.command, b.cwd) });
      res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
    } else if (req.method === 'DELETE' && ONE.test(url)) {
      await readBody(req);
      remove(ONE.exec(url)[1], (status) => res.writeHead(status).end());
    } else res.writeHead(404).end();
  };
}

const server = http.createServer(handler);
server.listen(0, '127.0.0.1', () => process.stdout.write(`Porthole listening on http://127.0.0.1:${server.address().port}\n`));
const stop = () => {
  for (const p of sessions.values()) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
