// Runs the built preload the way Electron's sandbox does (a function of require, process,
// Buffer, global, setImmediate, clearImmediate, exports, module) with a fake `electron`, so
// the API it exposes and the IPC it sends are checked without Electron.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvoke } from '../../main/electron/ipc-contract.js';
import { VERSION_ARG_PREFIX } from '../../main/electron/window-policy.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let outDir = '';
let source = '';

beforeAll(() => {
  outDir = mkdtempSync(path.join(tmpdir(), 'porthole-preload-'));
  const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
  execFileSync(tsc, ['-p', path.join(ROOT, 'tsconfig.preload.json'), '--outDir', outDir], { cwd: ROOT, stdio: 'pipe' });
  source = readFileSync(path.join(outDir, 'index.cjs'), 'utf8');
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

interface Loaded {
  exposed: Record<string, unknown>;
  name: string;
  invokes: Array<{ channel: string; args: unknown[] }>;
  required: string[];
}

function load(argv: string[]): Loaded {
  const invokes: Loaded['invokes'] = [];
  const required: string[] = [];
  let exposed: Record<string, unknown> = {};
  let name = '';
  const electron = {
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        invokes.push({ channel, args });
        return Promise.resolve(channel === 'porthole:get-owner-token' ? { token: 't', expiresAt: 'e' } : undefined);
      },
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: Record<string, unknown>) => {
        name = key;
        exposed = api;
      },
    },
  };
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found in the sandbox: ${id}`);
  };
  const wrapper = `(function(require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${source}\n})`;
  const fn = vm.runInNewContext(wrapper, {}) as (...a: unknown[]) => void;
  const exportsObj = {};
  fn(sandboxRequire, { platform: 'linux', argv }, undefined, {}, setImmediate, clearImmediate, exportsObj, { exports: exportsObj });
  return { exposed, name, invokes, required };
}

describe('preload (built as CommonJS and run as in the sandbox)', () => {
  it('requires nothing but electron', () => {
    expect(load([]).required).toEqual(['electron']);
  });

  it('exposes window.porthole with exactly the documented members', () => {
    const { exposed, name } = load(['/x/electron', `${VERSION_ARG_PREFIX}1.2.3`]);
    expect(name).toBe('porthole');
    expect(Object.keys(exposed).sort()).toEqual(['copyToClipboard', 'getOwnerToken', 'isDesktop', 'notify', 'platform', 'version']);
    expect(exposed.isDesktop).toBe(true);
    expect(exposed.platform).toBe('linux');
    expect(exposed.version).toBe('1.2.3');
    expect(Object.isFrozen(exposed)).toBe(true);
    expect(load([]).exposed.version).toBe('unknown');
  });

  it('each method invokes its one channel with arguments the main process accepts', async () => {
    const l = load([]);
    const api = l.exposed as {
      getOwnerToken: () => Promise<unknown>;
      copyToClipboard: (t: string) => Promise<void>;
      notify: (t: string, b?: string) => Promise<void>;
    };
    expect(await api.getOwnerToken()).toEqual({ token: 't', expiresAt: 'e' });
    await api.copyToClipboard('http://127.0.0.1:4022/s/x#tok');
    await api.notify('Title');
    await api.notify('Title', 'Body');
    expect(l.invokes.map((i) => i.channel)).toEqual([
      'porthole:get-owner-token',
      'porthole:copy-to-clipboard',
      'porthole:notify',
      'porthole:notify',
    ]);
    for (const i of l.invokes) {
      expect(checkInvoke(i.channel, 'http://127.0.0.1:4022/', i.args, 'http://127.0.0.1:4022'), i.channel).toMatchObject({ ok: true });
    }
  });

  it("is what the renderer's desktop login reads: window.porthole.getOwnerToken() → its token", async () => {
    // renderer/src/auth.ts feature-tests window.porthole (never a URL) and logs in with the token.
    const { tokenFromDesktop } = await import('../../renderer/src/auth.js');
    const g = globalThis as { window?: unknown };
    const before = g.window;
    try {
      g.window = {};
      expect(await tokenFromDesktop()).toBeNull(); // a plain browser: no bridge, no token
      g.window = { porthole: load([]).exposed };
      expect(await tokenFromDesktop()).toBe('t');
    } finally {
      g.window = before;
    }
  });
});
