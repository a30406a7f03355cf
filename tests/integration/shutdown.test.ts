// Server.close() is the contract's shutdown: 1001 to sockets, every session's process group
// ended (no process left in /proc), within 5 s; and a busy port is a UsageError.
import { describe, expect, it } from 'vitest';
import { CLOSE, UsageError } from '../../common/errors.js';
import { connectWs, processAlive, sleep, startServer } from '../helpers/server.js';

describe('shutdown', () => {
  it('closes sockets with 1001 and leaves no process behind, within 5 s', async () => {
    const ts = await startServer();
    // A shell that ignores SIGHUP and has a child: only the SIGKILL fallback ends it.
    const stubborn = await ts.createSession({ command: ['sh', '-c', "trap '' HUP; sleep 300 & wait"] });
    const plain = await ts.createSession({ command: ['sh', '-c', 'sleep 300'] });
    const sock = connectWs(ts, plain.id);
    await sock.waitForText('ready');
    await sleep(200);
    expect(await processAlive(stubborn.pid)).toBe(true);
    const t0 = Date.now();
    await ts.close();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await sock.closed).code).toBe(CLOSE.goingAway);
    expect(await processAlive(stubborn.pid)).toBe(false);
    expect(await processAlive(plain.pid)).toBe(false);
    // and no descendant survived: nothing in /proc has either as its process group
    const { readdir, readFile } = await import('node:fs/promises');
    const survivors: number[] = [];
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pgrp = Number(fields[2]);
      if ((pgrp === stubborn.pid || pgrp === plain.pid) && fields[0] !== 'Z') survivors.push(Number(name));
    }
    expect(survivors).toEqual([]);
    // the port is released
    await expect(fetch(ts.url + '/health')).rejects.toThrow();
  });

  it('reports a port in use as a UsageError', async () => {
    const ts = await startServer();
    const err = await startServer({ port: ts.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(String(ts.port));
  });

  it('lets the process exit: nothing keeps the event loop alive after close()', async () => {
    const ts = await startServer();
    await ts.createSession({ command: ['sh', '-c', 'sleep 300'] });
    await ts.close();
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    const servers = handles.filter((h) => (h as { constructor?: { name?: string } }).constructor?.name === 'Server');
    expect(servers).toHaveLength(0);
  });
});
