// The one place that asks which runtime this is (Node, Electron's Node or Bun) and loads that
// runtime's PTY adapter. Only the places that assemble a Server call it (cli/serve.ts,
// electron/main.ts, the test helper); the core gets the answer through ServerOptions and never
// asks itself. Each adapter is a dynamic import, so a Bun process never loads node-pty.
import type { RuntimeInfo } from '../../common/protocol.js';
import { UsageError } from '../../common/errors.js';
import { ptySupport } from './platform/runtime-support.js';
import type { PtyPort } from './pty/port.js';

/** What /health reports and `porthole --version` prints (common/protocol/http.ts). */
export type { RuntimeInfo } from '../../common/protocol.js';

/** Bun sets process.versions.bun; Electron's main process is Node with node-pty. */
export function detectRuntime(): RuntimeInfo {
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string };
  if (versions.bun) return { name: 'bun', version: versions.bun };
  return { name: 'node', version: versions.node };
}

export interface Runtime {
  info: RuntimeInfo;
  pty: PtyPort;
}

/** The runtime and its PTY adapter: node-pty on Node, Bun.spawn's terminal on Bun. */
export async function loadRuntime(info: RuntimeInfo = detectRuntime(), platform: NodeJS.Platform = process.platform): Promise<Runtime> {
  const support = ptySupport(info.name, platform);
  if (!support.ok) throw new UsageError(support.reason);
  if (info.name === 'bun') {
    const { bunPtyPort } = await import('./pty/bun.js');
    return { info, pty: bunPtyPort };
  }
  const { nodePtyPort } = await import('./pty/node-pty.js');
  return { info, pty: nodePtyPort };
}

/** `<runtime> <version>`, as `porthole --version` prints it. */
export function describeRuntime(info: RuntimeInfo = detectRuntime()): string {
  return `${info.name} ${info.version}`;
}
