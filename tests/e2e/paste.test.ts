// A paste over 64 KiB (the server's frame limit for input) reaches the program whole: the
// page splits it into frames as the CLI does, instead of sending one frame the server refuses.
import { describe, expect, it } from 'vitest';
import { e2eBrowserSuite, chromiumAvailable, e2eServer, makeShare, newPage, snapshot } from './harness.js';

const BYTES = 200_000;

describe.skipIf(!chromiumAvailable())('paste (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it(`a ${BYTES}-byte paste in a control page arrives whole`, async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ command: ['sh', '-c', `stty raw -echo; head -c ${BYTES} | tr -d x | wc -c | sed 's/^ */LEFT=/'; sleep 30`] });
    const control = await makeShare(ts, s.id, 'control');
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(control.url);
    await page.waitForFunction(() => window.portholeProbe?.mode === 'control');
    await page.evaluate((n) => {
      const ta = document.querySelector('.xterm-helper-textarea') as HTMLTextAreaElement;
      const dt = new DataTransfer();
      dt.setData('text/plain', 'x'.repeat(n));
      ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, BYTES);
    // Every byte was an x: `head` got all of them and `tr` left none.
    await expect.poll(() => snapshot(ts, s.id), { timeout: 15_000 }).toContain('LEFT=0');
    expect(errors).toEqual([]);
  });
});
