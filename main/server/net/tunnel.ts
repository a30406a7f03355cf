// `serve --tunnel cloudflared|tailscale` (contract section 9): a link anyone can open, through
// an engine the user already has and trusts, never a relay of ours. We start their program,
// read the public https URL it prints, hand that to the server as its public URL (links and
// the Origin check), and stop the program when the server stops, so no tunnel outlives it.
//
//   cloudflared tunnel --url http://127.0.0.1:PORT   (a quick tunnel; it prints, on stderr, a
//       box holding `https://<words>.trycloudflare.com`)
//   tailscale funnel PORT   (foreground; it prints `Available on the internet:` and then
//       `https://<machine>.<tailnet>.ts.net/` on stdout, and serves until stopped)
import { spawn, type ChildProcess } from 'node:child_process';
import { UsageError } from '../../../common/errors.js';
import type { Logger } from '../log.js';

export const TUNNEL_KINDS = ['cloudflared', 'tailscale'] as const;
export type TunnelKind = (typeof TUNNEL_KINDS)[number];

/** How long the program gets to print its URL (a quick tunnel takes a few seconds). */
export const TUNNEL_START_TIMEOUT_MS = 30_000;
/** After SIGTERM, the program gets this long before SIGKILL. */
const TUNNEL_STOP_GRACE_MS = 2000;
/** Output kept for the one-line error when the program fails. */
const TAIL_BYTES = 4096;

interface Recipe {
  program: string;
  args(port: number): string[];
  /** The public URL in what the program printed so far, if it is there. */
  find(output: string): string | undefined;
  install: string;
}

const RECIPES: Record<TunnelKind, Recipe> = {
  cloudflared: {
    program: 'cloudflared',
    args: (port) => ['tunnel', '--url', `http://127.0.0.1:${port}`],
    // Not api.trycloudflare.com: its failures name the API it could not reach.
    find: (out) => [...out.matchAll(/https:\/\/([a-z0-9-]+)\.trycloudflare\.com\b/gi)].find((m) => m[1].toLowerCase() !== 'api')?.[0],
    install: 'https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/',
  },
  tailscale: {
    program: 'tailscale',
    args: (port) => ['funnel', String(port)],
    // The first https URL after the announcement (an earlier one may be the "enable Funnel"
    // page on login.tailscale.com, which is not ours).
    find: (out) => {
      const at = out.indexOf('Available on the internet');
      return at === -1 ? undefined : /https:\/\/[A-Za-z0-9.-]+(?::\d+)?/.exec(out.slice(at))?.[0];
    },
    install: 'https://tailscale.com/download',
  },
};

export function parseTunnelKind(text: string): TunnelKind {
  const k = text.trim().toLowerCase();
  if ((TUNNEL_KINDS as readonly string[]).includes(k)) return k as TunnelKind;
  throw new UsageError(`--tunnel ${JSON.stringify(text)}: expected cloudflared or tailscale`);
}

export interface Tunnel {
  kind: TunnelKind;
  /** The public origin, like https://shy-dog-42.trycloudflare.com. */
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the program has exited. */
  stop(): Promise<void>;
  /** Called if the program dies while the server runs (not after stop()). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface StartTunnelOptions {
  kind: TunnelKind;
  port: number;
  logger: Logger;
  /** The child's environment; Porthole's own variables are removed from it. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** The child gets the user's environment minus anything of Porthole's (a password, a token). */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('PORTHOLE_')) out[k] = v;
  return out;
}

function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  // cloudflared prefixes each line with a time and a level; the message is what helps.
  return (lines[lines.length - 1] ?? '').replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z\s+(INF|WRN|ERR|FTL)\s+/, '').slice(0, 300);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), TUNNEL_STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts the tunnel program and resolves with its public URL; UsageError (exit 2) if it
 *  is missing, fails, or prints no URL in time. */
export function startTunnel(opts: StartTunnelOptions): Promise<Tunnel> {
  const recipe = RECIPES[opts.kind];
  const flag = `--tunnel ${opts.kind}`;
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    let stopRequested = false;
    const exitListeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
    const child = spawn(recipe.program, recipe.args(opts.port), {
      env: childEnv(opts.env ?? process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true, // Windows: no console window of its own (a no-op elsewhere)
    });
    const fail = (err: UsageError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopChild(child).then(() => reject(err));
    };
    const timer = setTimeout(
      () => fail(new UsageError(`${flag}: ${recipe.program} printed no public URL within ${Math.round((opts.timeoutMs ?? TUNNEL_START_TIMEOUT_MS) / 1000)} s${lastLine(output) ? ` (last: ${lastLine(output)})` : ''}`)),
      opts.timeoutMs ?? TUNNEL_START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-TAIL_BYTES);
      if (settled) return;
      const found = recipe.find(output);
      if (!found) return;
      settled = true;
      clearTimeout(timer);
      const url = new URL(found).origin;
      opts.logger.info('tunnel up', { kind: opts.kind, url, pid: child.pid });
      resolve({
        kind: opts.kind,
        url,
        pid: child.pid ?? 0,
        stop: () => {
          stopRequested = true;
          return stopChild(child);
        },
        onExit: (l) => exitListeners.push(l),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') fail(new UsageError(`${flag}: ${recipe.program} is not on PATH: install it (${recipe.install}) or drop --tunnel`));
      else fail(new UsageError(`${flag}: cannot start ${recipe.program} (${err.code ?? err.message})`));
    });
    child.once('exit', (code, signal) => {
      if (!settled) {
        const why = lastLine(output);
        fail(new UsageError(`${flag}: ${recipe.program} exited (${code ?? signal}) before giving a public URL${why ? `: ${why}` : ''}`));
        return;
      }
      if (!stopRequested) for (const l of exitListeners) l(code, signal);
    });
  });
}
