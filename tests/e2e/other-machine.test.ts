// "A person on another machine opens a link Porthole printed" (issue 12), for real: a second
// network stack (a Linux network namespace joined to this one by a veth pair, as a LAN
// cable would) runs Chromium, which can reach this machine only at 10.231.N.1. The server
// listens on 0.0.0.0; the owner's panel is opened at that address, the share link it hands
// out is built on it, and the browser on the other side opens the link and sees the terminal.
// Needs root and `ip` (skipped otherwise).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumAvailable, e2eBrowserSuite, e2eServer, input, newPage, waitForTerm } from './harness.js';

const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'].find((p) => existsSync(p));
const canNetns = (() => {
  if (!IP || process.getuid?.() !== 0) return false;
  try {
    execFileSync(IP, ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const n = process.pid % 200;
const NS = `ph-other-${n}`;
const HOST_IF = `phh${n}`;
const PEER_IF = `php${n}`;
const HOST_ADDR = `10.231.${n}.1`;
const PEER_ADDR = `10.231.${n}.2`;
let wrapperDir = '';

function ip(...args: string[]): void {
  execFileSync(IP!, args, { stdio: 'ignore' });
}

describe.skipIf(!chromiumAvailable() || !canNetns)('a browser on another machine (network namespace)', () => {
  const e2e = e2eBrowserSuite('shared');

  beforeAll(() => {
    try {
      ip('netns', 'del', NS);
    } catch {
      /* none left over */
    }
    ip('netns', 'add', NS);
    ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', PEER_IF);
    ip('link', 'set', PEER_IF, 'netns', NS);
    ip('addr', 'add', `${HOST_ADDR}/24`, 'dev', HOST_IF);
    ip('link', 'set', HOST_IF, 'up');
    ip('netns', 'exec', NS, IP!, 'addr', 'add', `${PEER_ADDR}/24`, 'dev', PEER_IF);
    ip('netns', 'exec', NS, IP!, 'link', 'set', PEER_IF, 'up');
    ip('netns', 'exec', NS, IP!, 'link', 'set', 'lo', 'up');
    // Chromium started inside the other network stack; playwright talks to it over a pipe.
    wrapperDir = mkdtempSync(join(tmpdir(), 'porthole-netns-'));
    const wrapper = join(wrapperDir, 'chromium-elsewhere');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${IP} netns exec ${NS} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
  });

  afterAll(() => {
    try {
      ip('netns', 'del', NS); // takes the peer end, and so the pair, with it
    } catch {
      /* already gone */
    }
    try {
      ip('link', 'del', HOST_IF);
    } catch {
      /* gone with the namespace */
    }
    if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true });
  });

  it('opens the share link the panel handed out, over the other network, and sees the terminal', async () => {
    const ts = await e2eServer({ host: '0.0.0.0' });
    const s = await ts.createSession({ command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, name: 'for the other machine' });
    await input(ts, s.id, 'echo seen-from-elsewhere-$((6*7))\n');

    // The owner's panel, opened at the address the other machine can reach.
    const owner = await newPage(e2e.browser);
    e2e.closers.push(() => owner.context.close());
    await owner.page.goto(`http://${HOST_ADDR}:${ts.port}/#token=${ts.ownerToken}`);
    await owner.page.locator('.session-item', { hasText: 'for the other machine' }).click();
    await owner.page.getByRole('button', { name: 'Share this session' }).click();
    await owner.page.locator('#share-mode-control').check();
    await owner.page.getByRole('button', { name: 'Create link' }).click();
    const url = await owner.page.locator('.share-url').inputValue();
    expect(new URL(url).host).toBe(`${HOST_ADDR}:${ts.port}`);
    expect(await owner.page.locator('.share-reach[data-reach=local]').count()).toBe(0);

    // The veth pair takes a moment to carry traffic: wait until the other side connects.
    const probe = `require('net').connect(${ts.port}, '${HOST_ADDR}').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
    await expect
      .poll(() => {
        try {
          execFileSync(IP!, ['netns', 'exec', NS, process.execPath, '-e', probe], { stdio: 'ignore', timeout: 5000 });
          return true;
        } catch {
          return false;
        }
      }, { timeout: 15_000 })
      .toBe(true);

    const elsewhere = await chromium.launch({
      executablePath: join(wrapperDir, 'chromium-elsewhere'),
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    e2e.closers.push(() => elsewhere.close());
    const context = await elsewhere.newContext();
    // The other machine cannot reach this one's loopback: the link is all it has.
    const loopback = await context.newPage();
    await expect(loopback.goto(`http://127.0.0.1:${ts.port}/`, { timeout: 5000 })).rejects.toThrow();
    await loopback.close();
    const page = await context.newPage();
    await page.goto(url);
    await waitForTerm(page, 'seen-from-elsewhere-42');
    // A control link: typing from over there reaches the shell here.
    await page.locator('.xterm').click();
    await page.keyboard.type('echo typed-from-elsewhere\n');
    await expect.poll(async () => (await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()), { timeout: 10_000 }).toContain('typed-from-elsewhere');
  });
});
