// The parent side of viewers.mjs: forks k viewer processes and speaks to them over IPC.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'viewers.mjs');

function waitFor(child, ev, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', on);
      reject(new Error(`viewer process: no '${ev}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (msg) => {
      if (msg.ev === ev || (Array.isArray(ev) && ev.includes(msg.ev))) {
        clearTimeout(timer);
        child.off('message', on);
        resolve(msg);
      } else if (msg.ev === 'error') {
        clearTimeout(timer);
        child.off('message', on);
        reject(new Error(`viewer process: ${msg.message}`));
      }
    };
    child.on('message', on);
  });
}

export class ViewerFarm {
  constructor(processes) {
    this.children = Array.from({ length: processes }, () =>
      fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=2048'] }),
    );
  }

  /** Opens n viewers spread over the processes; returns every viewer's setup time. */
  async connect(target, n, { concurrency = 50, timeoutMs = 120_000 } = {}) {
    const k = this.children.length;
    const per = this.children.map((_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
    const replies = await Promise.all(
      this.children.map((c, i) => {
        const p = waitFor(c, 'connected', timeoutMs);
        c.send({ cmd: 'connect', target, n: per[i], concurrency: Math.max(1, Math.round(concurrency / k)) });
        return p;
      }),
    );
    return {
      setupMs: replies.flatMap((r) => r.setupMs),
      failed: replies.reduce((a, r) => a + r.failed, 0),
      errors: replies.flatMap((r) => r.errors).slice(0, 5),
      wallMs: Math.max(...replies.map((r) => r.wallMs)),
    };
  }

  /** Arms every viewer to watch for marker; returns a promise of when the last one saw it. */
  async watch(marker, timeoutMs) {
    const results = this.children.map((c) => waitFor(c, ['seen', 'timeout'], timeoutMs + 10_000));
    await Promise.all(
      this.children.map((c) => {
        const p = waitFor(c, 'watching', 10_000);
        c.send({ cmd: 'watch', marker, timeoutMs });
        return p;
      }),
    );
    return Promise.all(results).then((rs) => ({
      times: rs.flatMap((r) => r.times),
      missing: rs.reduce((a, r) => a + r.missing, 0),
      closed: rs.reduce((a, r) => a + r.closed, 0),
      resyncs: rs.reduce((a, r) => a + r.resyncs, 0),
      timedOut: rs.some((r) => r.ev === 'timeout'),
      bytes: rs.reduce((a, r) => a + (r.bytes ?? 0), 0),
      frames: rs.reduce((a, r) => a + (r.frames ?? 0), 0),
    }));
  }

  async close() {
    await Promise.all(
      this.children.map(async (c) => {
        if (c.exitCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        try {
          c.send({ cmd: 'close' });
        } catch {
          /* gone */
        }
        const t = setTimeout(() => c.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }),
    );
  }
}
