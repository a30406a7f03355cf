import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { checkInvoke, CLIPBOARD_MAX_CHARS, dispatch, IPC, isIpcChannel, type IpcHandlers } from '../../main/electron/ipc-contract.js';

const APP = 'http://127.0.0.1:4022';
const PAGE = `${APP}/`;

describe('checkInvoke', () => {
  it('accepts each channel from the app origin with valid arguments', () => {
    expect(checkInvoke(IPC.getOwnerToken, PAGE, [], APP)).toEqual({ ok: true, channel: IPC.getOwnerToken, args: [] });
    expect(checkInvoke(IPC.copyToClipboard, `${APP}/s/x#t`, ['hello'], APP)).toEqual({ ok: true, channel: IPC.copyToClipboard, args: ['hello'] });
    expect(checkInvoke(IPC.notify, PAGE, [{ title: 'T', body: 'B' }], APP).ok).toBe(true);
    expect(checkInvoke(IPC.notify, PAGE, [{ title: 'T' }], APP).ok).toBe(true);
  });

  it('rejects an unknown channel before anything else', () => {
    const r = checkInvoke('porthole:exec', 'https://evil.example/', [], APP);
    expect(r).toMatchObject({ ok: false, reason: 'unknown_channel' });
    expect(checkInvoke('__proto__', PAGE, [], APP)).toMatchObject({ ok: false, reason: 'unknown_channel' });
    expect(isIpcChannel('toString')).toBe(false);
  });

  it('rejects a sender from any other origin, or with no frame', () => {
    for (const sender of ['https://evil.example/', 'http://127.0.0.1:4023/', 'http://localhost:4022/', 'file:///app/index.html', 'about:blank', 'devtools://devtools/x', '', null, undefined]) {
      expect(checkInvoke(IPC.getOwnerToken, sender, [], APP), String(sender)).toMatchObject({ ok: false, reason: 'foreign_sender' });
    }
  });

  it('rejects bad arguments', () => {
    const bad: Array<[string, unknown[]]> = [
      [IPC.getOwnerToken, ['extra']],
      [IPC.copyToClipboard, []],
      [IPC.copyToClipboard, [42]],
      [IPC.copyToClipboard, ['a', 'b']],
      [IPC.copyToClipboard, ['x'.repeat(CLIPBOARD_MAX_CHARS + 1)]],
      [IPC.notify, [{}]],
      [IPC.notify, [{ title: '' }]],
      [IPC.notify, [{ title: 'x'.repeat(129) }]],
      [IPC.notify, [{ title: 't', body: 'b', onClick: 'evil' }]],
      [IPC.notify, ['t']],
    ];
    for (const [channel, args] of bad) {
      const r = checkInvoke(channel, PAGE, args, APP);
      expect(r, `${channel} ${JSON.stringify(args).slice(0, 40)}`).toMatchObject({ ok: false, reason: 'bad_args' });
      if (!r.ok) expect(r.message).toContain(channel);
    }
  });
});

describe('dispatch', () => {
  it('calls the handler of the checked channel with the validated arguments', async () => {
    const handlers: IpcHandlers = {
      'porthole:get-owner-token': vi.fn(() => ({ token: 't', expiresAt: 'e' })),
      'porthole:copy-to-clipboard': vi.fn(),
      'porthole:notify': vi.fn(),
    };
    const c = checkInvoke(IPC.copyToClipboard, PAGE, ['text'], APP);
    if (!c.ok) throw new Error('expected ok');
    dispatch(handlers, c);
    expect(handlers['porthole:copy-to-clipboard']).toHaveBeenCalledWith('text');
    const t = checkInvoke(IPC.getOwnerToken, PAGE, [], APP);
    if (!t.ok) throw new Error('expected ok');
    expect(await dispatch(handlers, t)).toEqual({ token: 't', expiresAt: 'e' });
  });
});

describe('preload and contract agree', () => {
  const source = readFileSync(new URL('../../preload/index.cts', import.meta.url), 'utf8');

  it('the preload invokes only channels in the contract, and every channel is used', () => {
    const used = new Set([...source.matchAll(/invoke\(\s*'([^']+)'/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.values(IPC).sort());
  });

  it('the preload never hands out ipcRenderer or uses send/on', () => {
    expect(source).not.toMatch(/ipcRenderer\.(send|sendSync|on|once|addListener|postMessage)\b/);
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});
