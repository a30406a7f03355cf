// A viewer farm, forked by the harness so the clients never share a process (or an event
// loop) with the server under test. It opens N viewers on one session, times each one's
// setup, and tells the parent when every viewer has seen a marker in the output.
// Viewer kinds: 'ws' (Porthole: GET /api/sessions/:id/ws) and 'sse' (the peer's
// /api/sessions/:id/stream). The parent speaks to it over IPC (see onMessage below).
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const WebSocket = require('ws');

const nowMs = () => performance.timeOrigin + performance.now();
const viewers = [];
const EMPTY = Buffer.alloc(0);
/** The marker being watched for, as bytes; null when not watching. */
let marker = null;
let watchTimer = null;

function send(msg) {
  process.send?.(msg);
}

/**
 * Looks for the marker in raw bytes, never decoding them: with thousands of viewers the farm
 * handles gigabytes, and it must not be the bottleneck of what it measures. `v.tail` keeps the
 * last marker.length - 1 bytes (a copy, so no batch is kept alive) for a marker split in two.
 */
function onOutput(v, buf) {
  v.bytes += buf.length;
  v.frames++;
  if (!marker || v.seenAt) return;
  const keep = marker.length - 1;
  const seam = v.tail.length ? Buffer.concat([v.tail, buf.subarray(0, keep)]) : null;
  if (buf.indexOf(marker) !== -1 || (seam && seam.indexOf(marker) !== -1)) {
    v.seenAt = nowMs();
    checkAllSeen();
    return;
  }
  const joined = buf.length >= keep ? buf : Buffer.concat([v.tail, buf]);
  v.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
}

function checkAllSeen() {
  if (!marker) return;
  const live = viewers.filter((v) => !v.closed || v.seenAt);
  if (live.every((v) => v.seenAt)) report('seen');
}

function report(ev) {
  const times = viewers.filter((v) => v.seenAt).map((v) => v.seenAt);
  send({
    ev,
    times,
    missing: viewers.length - times.length,
    closed: viewers.filter((v) => v.closed).length,
    resyncs: viewers.reduce((a, v) => a + v.resyncs, 0),
    bytes: viewers.reduce((a, v) => a + v.bytes, 0),
    frames: viewers.reduce((a, v) => a + v.frames, 0),
  });
  if (ev === 'seen') {
    marker = null;
    clearTimeout(watchTimer);
  }
}

function openWs(target) {
  return new Promise((resolve) => {
    const v = { tail: EMPTY, seenAt: 0, bytes: 0, frames: 0, resyncs: 0, closed: false, t0: nowMs() };
    const ws = new WebSocket(target.url, { perMessageDeflate: false, headers: target.headers ?? {} });
    v.ws = ws;
    let settled = false;
    const done = (err) => {
      if (settled) return;
      settled = true;
      resolve({ v, ms: nowMs() - v.t0, err });
    };
    ws.on('open', () => {
      if (target.authToken) ws.send(JSON.stringify({ type: 'auth', token: target.authToken }));
      if (target.readyOn === 'open') done();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        onOutput(v, data);
        return;
      }
      const text = data.toString();
      if (text.includes('"ready"')) done();
      else if (text.includes('"resync"')) v.resyncs++;
    });
    ws.on('error', (e) => done(e.message));
    ws.on('close', (code) => {
      v.closed = true;
      done(`closed ${code}`);
      if (marker) checkAllSeen();
    });
  });
}

function openSse(target) {
  return new Promise((resolve) => {
    const v = { tail: EMPTY, seenAt: 0, bytes: 0, frames: 0, resyncs: 0, closed: false, t0: nowMs() };
    let settled = false;
    const done = (err) => {
      if (settled) return;
      settled = true;
      resolve({ v, ms: nowMs() - v.t0, err });
    };
    const req = http.get(target.url, { agent: false, headers: { accept: 'text/event-stream', ...(target.headers ?? {}) } }, (res) => {
      if (res.statusCode !== 200) {
        done(`status ${res.statusCode}`);
        res.resume();
        return;
      }
      res.on('data', (chunk) => {
        done();
        onOutput(v, chunk);
      });
      res.on('close', () => {
        v.closed = true;
        if (marker) checkAllSeen();
      });
    });
    v.req = req;
    req.on('error', (e) => {
      v.closed = true;
      done(e.message);
    });
  });
}

async function connect({ target, n, concurrency = 50 }) {
  const setupMs = [];
  const errors = [];
  let next = 0;
  const t0 = nowMs();
  const worker = async () => {
    while (next < n) {
      next++;
      const { v, ms, err } = await (target.kind === 'sse' ? openSse(target) : openWs(target));
      viewers.push(v);
      if (err) errors.push(err);
      else setupMs.push(ms);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  send({ ev: 'connected', setupMs, failed: errors.length, errors: errors.slice(0, 5), wallMs: nowMs() - t0 });
}

function closeAll() {
  for (const v of viewers) {
    try {
      v.ws?.terminate();
      v.req?.destroy();
    } catch {
      /* already gone */
    }
  }
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'connect') await connect(msg);
    else if (msg.cmd === 'watch') {
      marker = Buffer.from(msg.marker, 'latin1');
      for (const v of viewers) {
        v.seenAt = 0;
        v.tail = EMPTY;
        // Bytes and output frames are counted from here: what this flood brought each viewer.
        v.bytes = 0;
        v.frames = 0;
      }
      clearTimeout(watchTimer);
      watchTimer = setTimeout(() => marker && report('timeout'), msg.timeoutMs ?? 60_000);
      send({ ev: 'watching' });
      checkAllSeen();
    } else if (msg.cmd === 'report') report('report');
    else if (msg.cmd === 'close') {
      closeAll();
      send({ ev: 'closed' });
      setTimeout(() => process.exit(0), 50);
    }
  } catch (e) {
    send({ ev: 'error', message: String(e?.message ?? e) });
  }
});
process.on('disconnect', () => {
  closeAll();
  process.exit(0);
});
