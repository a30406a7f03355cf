import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePort, DEFAULT_DESKTOP_PORT, portInUseDialog, portOutcome, startFailedDialog } from '../../main/electron/port-choice.js';
import { isPortFree } from '../../main/electron/port-probe.js';

const freeExcept = (taken: number[]) => async (p: number) => !taken.includes(p);

describe('choosePort', () => {
  it('keeps the preferred port when it is free', async () => {
    expect(await choosePort(4022, freeExcept([]))).toEqual({ kind: 'preferred', port: 4022 });
  });

  it('offers the next free port when the preferred one is taken', async () => {
    expect(await choosePort(4022, freeExcept([4022, 4023]))).toEqual({ kind: 'alternative', preferred: 4022, port: 4024 });
  });

  it('falls back to any free port (0) when the whole span is taken', async () => {
    const all = Array.from({ length: 20 }, (_, i) => 4022 + i);
    expect(await choosePort(4022, freeExcept(all), 5)).toEqual({ kind: 'alternative', preferred: 4022, port: 0 });
  });

  it('never tries past 65535', async () => {
    const tried: number[] = [];
    const r = await choosePort(65534, async (p) => (tried.push(p), false), 10);
    expect(tried).toEqual([65534, 65535]);
    expect(r).toEqual({ kind: 'alternative', preferred: 65534, port: 0 });
  });

  it('rejects a preferred port that is not a port', async () => {
    await expect(choosePort(0, freeExcept([]))).rejects.toThrow(TypeError);
    await expect(choosePort(70000, freeExcept([]))).rejects.toThrow(/1\.\.65535/);
  });

  it('defaults to 4022 like porthole serve', () => {
    expect(DEFAULT_DESKTOP_PORT).toBe(4022);
  });
});

describe('port-in-use dialog', () => {
  it('says plainly which port is taken and offers the other one first', () => {
    const d = portInUseDialog({ kind: 'alternative', preferred: 4022, port: 4023 });
    expect(d.message).toBe('Port 4022 is already in use.');
    expect(d.detail).toContain('port 4023');
    expect(d.buttons).toEqual(['Use port 4023', 'Quit']);
    expect(d.defaultId).toBe(0);
    expect(d.cancelId).toBe(1);
  });

  it('words the any-free-port fallback', () => {
    const d = portInUseDialog({ kind: 'alternative', preferred: 4022, port: 0 });
    expect(d.buttons[0]).toBe('Use any free port');
    expect(d.detail).toContain('any free port');
  });

  it('maps the answer to an outcome; Esc/close (cancelId) quits', () => {
    const alt = { kind: 'alternative', preferred: 4022, port: 4023 } as const;
    expect(portOutcome({ kind: 'preferred', port: 4022 })).toEqual({ action: 'listen', port: 4022 });
    expect(portOutcome(alt, 0)).toEqual({ action: 'listen', port: 4023 });
    expect(portOutcome(alt, 1)).toEqual({ action: 'quit' });
    expect(portOutcome(alt, undefined)).toEqual({ action: 'quit' });
  });

  it('shows the server error as the detail of the start-failed dialog', () => {
    expect(startFailedDialog('cannot read /x').detail).toBe('cannot read /x');
    expect(startFailedDialog('  ').detail).toBe('No reason was given.');
    expect(startFailedDialog('x').buttons).toEqual(['Quit']);
  });
});

describe('isPortFree', () => {
  let holder: net.Server | null = null;
  afterEach(async () => {
    await new Promise<void>((r) => (holder ? holder.close(() => r()) : r()));
    holder = null;
  });

  it('is false for a port held by another listener and true once released', async () => {
    holder = net.createServer();
    await new Promise<void>((r) => holder!.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    expect(await isPortFree(port)).toBe(false);
    await new Promise<void>((r) => holder!.close(() => r()));
    holder = null;
    expect(await isPortFree(port)).toBe(true);
  });

  it('works end to end with choosePort', async () => {
    holder = net.createServer();
    await new Promise<void>((r) => holder!.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    const choice = await choosePort(port, (p) => isPortFree(p));
    expect(choice.kind).toBe('alternative');
    if (choice.kind === 'alternative') expect(choice.port).not.toBe(port);
  });
});
