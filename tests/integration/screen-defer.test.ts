// The screen host holds a flood's data and hands it to the worker once output pauses
// (screen-host.ts, SCREEN_DEFER_QUIET_MS): the first data after a pause goes at once (an echo,
// a query to answer), data close behind it waits, and any request posts what is held first, so
// the worker's answer covers every byte. A real worker; postMessage counted, never timed.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../main/server/log.js';
import type { ToScreenWorker } from '../../main/server/sessions/screen-protocol.js';
import { SCREEN_DEFER_MAX_BYTES, ScreenHost } from '../../main/server/sessions/screen-host.js';
import { Screen } from '../../main/server/sessions/screen.js';
import { until } from '../helpers/server.js';

const hosts: ScreenHost[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const h of hosts.splice(0)) await h.dispose();
});

function setup(): { screen: Screen; dataPosts: () => number } {
  const spy = vi.spyOn(Worker.prototype, 'postMessage');
  const host = new ScreenHost(silentLogger);
  hosts.push(host);
  const screen = new Screen({ host, cols: 80, rows: 24, scrollback: 1000, onTitle: () => {}, onBacklogLow: () => {} });
  const dataPosts = () => spy.mock.calls.filter(([m]) => (m as ToScreenWorker).t === 'data').length;
  return { screen, dataPosts };
}

describe('screen host: a flood is parsed after it', () => {
  it('posts the first data at once, holds what follows it closely, posts it once output pauses', async () => {
    const { screen, dataPosts } = setup();
    screen.write(Buffer.from('first\r\n'));
    expect(dataPosts()).toBe(1);
    for (let i = 0; i < 50; i++) screen.write(Buffer.from(`line ${i}\r\n`));
    expect(dataPosts()).toBe(1); // held: without the host's rule this is 51
    await until(() => screen.backlog === 0, 10_000, 'the held data parsed after the pause');
    expect(dataPosts()).toBe(51);
    expect((await screen.text()).text).toContain('line 49');
  });

  it('a request posts what is held first: the answer covers every byte written', async () => {
    const { screen, dataPosts } = setup();
    screen.write(Buffer.from('a\r\n'));
    screen.write(Buffer.from('held-1\r\n'));
    screen.write(Buffer.from('held-2'));
    expect(dataPosts()).toBe(1);
    const text = screen.text(); // a request: posted after the held data
    expect(dataPosts()).toBe(3);
    expect((await text).text).toContain('held-2');
  });

  it('posts at SCREEN_DEFER_MAX_BYTES held, without waiting for a pause', () => {
    const { screen, dataPosts } = setup();
    screen.write(Buffer.from('x'));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < SCREEN_DEFER_MAX_BYTES / chunk.length; i++) screen.write(chunk);
    expect(dataPosts()).toBe(1 + SCREEN_DEFER_MAX_BYTES / chunk.length);
  });
});
