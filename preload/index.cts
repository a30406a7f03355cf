// Why this exists: the only bridge between the sandboxed page and the main process. It exposes a
// narrow, named API (preload/api.d.ts) and never ipcRenderer itself: each method invokes one
// fixed channel, and the main process checks sender origin and arguments again
// (main/electron/ipc-contract.ts). A sandboxed preload is CommonJS and may import nothing of
// ours at run time, so the channel names are repeated here; a unit test keeps them in step.
import electron = require('electron'); // the sandbox's require knows electron, events, timers, url
import type { OwnerToken, PortholeApi } from './api.js';

const VERSION_ARG_PREFIX = '--porthole-version='; // window-policy.ts passes it in additionalArguments

function versionFromArgv(argv: readonly string[]): string {
  const arg = argv.find((a) => a.startsWith(VERSION_ARG_PREFIX));
  return arg ? arg.slice(VERSION_ARG_PREFIX.length) : 'unknown';
}

const api: PortholeApi = {
  isDesktop: true,
  platform: process.platform,
  version: versionFromArgv(process.argv),
  getOwnerToken: () => electron.ipcRenderer.invoke('porthole:get-owner-token') as Promise<OwnerToken>,
  copyToClipboard: (text: string) => electron.ipcRenderer.invoke('porthole:copy-to-clipboard', String(text)) as Promise<void>,
  notify: (title: string, body?: string) =>
    electron.ipcRenderer.invoke('porthole:notify', body === undefined ? { title: String(title) } : { title: String(title), body: String(body) }) as Promise<void>,
};

electron.contextBridge.exposeInMainWorld('porthole', Object.freeze(api));
