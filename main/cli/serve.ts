// `porthole serve`: the server without the desktop app. Flags -> config -> Server, then the
// two stdout lines the contract promises (nothing else goes to stdout: logs are on stderr),
// then wait for SIGINT/SIGTERM and shut down cleanly within SHUTDOWN_DEADLINE_MS.
import { EXIT } from '../../common/errors.js';
import { ENV, resolveDataDirPath, resolveServeOptions, type ServeFlags } from '../server/config.js';
import { DataDir } from '../server/datadir.js';
import { localUrl, removeServerFile, removeServerFileSync, writeServerFile } from '../server/discovery.js';
import { createLogger } from '../server/log.js';
import type { Tunnel } from '../server/net/tunnel.js';
import { boolFlag, formatHelp, listFlag, parseCommandArgs, stringFlag, type FlagSpec } from './args.js';
import type { CliContext } from './commands.js';
import { serveStopSignals } from '../server/platform/signals.js';

/** The contract says exit within 5 s of the signal; leave a margin for process teardown. */
export const SHUTDOWN_DEADLINE_MS = 4500;

export const SERVE_FLAGS: FlagSpec = {
  port: { type: 'string', valueName: 'N', description: 'port to listen on (default 4022; 0 picks a free one)' },
  host: { type: 'string', valueName: 'ADDR', description: 'address to listen on (default 127.0.0.1)' },
  'data-dir': { type: 'string', valueName: 'DIR', description: 'where the secret, config.json and recordings live' },
  'no-auth': { type: 'boolean', description: 'no tokens: every request acts as the owner (loopback only)' },
  'i-know-this-is-insecure': { type: 'boolean', description: 'allow --no-auth on a non-loopback --host' },
  'tls-cert': { type: 'string', valueName: 'FILE', description: 'TLS certificate (PEM); needs --tls-key' },
  'tls-key': { type: 'string', valueName: 'FILE', description: 'TLS private key (PEM); needs --tls-cert' },
  'public-url': { type: 'string', valueName: 'URL', description: 'origin used in links and allowed as WebSocket Origin (reverse proxy, tunnel)' },
  'allow-origin': { type: 'string', multiple: true, valueName: 'ORIGIN', description: 'another origin allowed to open WebSockets' },
  'allow-host': { type: 'string', multiple: true, valueName: 'HOST', description: 'another Host name accepted while listening on loopback (DNS-rebinding guard)' },
  scrollback: { type: 'string', valueName: 'N', description: 'lines of scrollback kept per session (default 10000)' },
  tunnel: { type: 'string', valueName: 'cloudflared|tailscale', description: 'start your own cloudflared quick tunnel or tailscale funnel; links use its public URL' },
  'no-record': { type: 'boolean', description: 'do not record sessions (by default each one is kept as an asciicast in the data dir)' },
  'trust-proxy': { type: 'string', valueName: 'HOPS|ADDR,...', description: 'take the client address from X-Forwarded-For of these proxies (hop count, or addresses/CIDRs)' },
};

const USAGE = 'porthole serve [--port N] [--host ADDR] [--data-dir DIR] [--no-auth] [--tls-cert F --tls-key F] [--public-url URL] [--allow-origin ORIGIN]... [--allow-host HOST]...';
const SUMMARY = 'Run the Porthole server headless. Prints the listening address and an owner link on stdout; logs go to stderr.';
const FOOTER = [
  'environment:',
  '  PORTHOLE_PASSWORD    owner password for this run (hashed at start, never stored)',
  '  PORTHOLE_DATA_DIR    like --data-dir',
  '  PORTHOLE_HOST, PORTHOLE_PORT, PORTHOLE_PUBLIC_URL   like the flags',
  '  PORTHOLE_LOG_LEVEL   debug | info | warn | error',
  'Flags beat the environment, which beats config.json in the data dir.',
].join('\n');

export function serveFlagsFrom(values: ReturnType<typeof parseCommandArgs>['values']): ServeFlags & { dataDir?: string } {
  return {
    port: stringFlag(values, 'port'),
    host: stringFlag(values, 'host'),
    dataDir: stringFlag(values, 'data-dir'),
    noAuth: boolFlag(values, 'no-auth'),
    insecure: boolFlag(values, 'i-know-this-is-insecure'),
    tlsCert: stringFlag(values, 'tls-cert'),
    tlsKey: stringFlag(values, 'tls-key'),
    publicUrl: stringFlag(values, 'public-url'),
    allowOrigin: listFlag(values, 'allow-origin'),
    allowHost: listFlag(values, 'allow-host'),
    scrollback: stringFlag(values, 'scrollback'),
    trustProxy: stringFlag(values, 'trust-proxy'),
    noRecord: boolFlag(values, 'no-record'),
    tunnel: stringFlag(values, 'tunnel'),
  };
}

/** What serve tells the user about who can open its links (contract section 9): plainly,
 *  when they open on this machine only, and what fixes it. */
export function reachLines(server: { linksLocalOnly(): boolean; otherAddresses(): string[]; url: string }): string[] {
  const lines: string[] = [];
  if (server.linksLocalOnly()) {
    lines.push(
      `links open on this machine only (${new URL(server.url).host}): to share them, add --tunnel cloudflared (anyone), --public-url URL (behind a proxy) or --host 0.0.0.0 (your network)`,
    );
  }
  const others = server.otherAddresses();
  if (others.length > 0) lines.push(`also reachable at ${others.join(', ')}`);
  return lines;
}

/**
 * Resolves once a stop signal arrives (SIGINT/SIGTERM; on Windows SIGINT, SIGBREAK and the
 * console closing: platform/signals.ts); a second signal ends the process at once.
 */
function waitForStopSignal(ctx: CliContext, onSecond: () => void): { stopped: Promise<string>; dispose(): void } {
  let resolveStop: (s: string) => void = () => {};
  const stopped = new Promise<string>((r) => (resolveStop = r));
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) resolveStop(signal);
    else onSecond();
  };
  const signals = serveStopSignals(process.platform);
  for (const s of signals) process.on(s, handler);
  return {
    stopped,
    dispose() {
      for (const s of signals) process.off(s, handler);
    },
  };
}

export async function serveMain(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('serve', argv, SERVE_FLAGS);
  if (boolFlag(values, 'help')) {
    ctx.stdout.write(formatHelp(USAGE, SUMMARY, SERVE_FLAGS, FOOTER));
    return EXIT.ok;
  }
  const flags = serveFlagsFrom(values);
  const logger = createLogger();
  /** Set once server.json is written: an exit that skips close() still removes it. */
  let serverFileDir: string | undefined;
  /** The tunnel program, once started: it never outlives serve. */
  let tunnel: Tunnel | undefined;
  /** Drops the exit hook that kills the tunnel, once it is gone (its pid may be reused). */
  let forgetTunnel = (): void => {};
  const exitNow = () => {
    if (serverFileDir) removeServerFileSync(serverFileDir);
    if (tunnel) process.kill(tunnel.pid, 'SIGKILL');
    ctx.exit(EXIT.ok);
  };
  // Signals are caught from the start, so a Ctrl-C during startup still ends with a clean close.
  const signals = waitForStopSignal(ctx, () => {
    logger.warn('second signal: exiting now', {});
    exitNow();
  });
  try {
    const dataDirPath = resolveDataDirPath(flags.dataDir, ctx.env);
    // Check the flags and environment alone first, so a typo fails before the data dir is
    // created; the real resolution below adds config.json.
    await resolveServeOptions({ flags, env: ctx.env, config: {}, dataDir: dataDirPath });
    const dataDir = await DataDir.open(dataDirPath);
    const config = await dataDir.readConfig();
    const options = await resolveServeOptions({ flags, env: ctx.env, config, dataDir: dataDir.dir, logger });
    // Read once (options.password, hashed by Server.create), then gone from the environment, so
    // no child (a tunnel, anything spawned later) inherits it. /proc/<pid>/environ still shows
    // the start environment: docs/security.md recommends `porthole passwd` for that reason.
    delete ctx.env[ENV.password];
    delete process.env[ENV.password];

    // Loaded only now: a flag mistake is reported without loading the whole server.
    const { Server } = await import('../server/server.js');
    // The one place the CLI's server is assembled: this runtime's PTY (node-pty never loads under Bun).
    const { loadRuntime } = await import('../server/runtime.js');
    const runtime = await loadRuntime();
    const server = await Server.create({ ...options, ...(ctx.assets ? { assets: ctx.assets } : {}), pty: runtime.pty, runtime: runtime.info });
    let url: string;
    let port: number;
    try {
      ({ url, port } = await server.listen());
      if (options.tunnel) {
        const { startTunnel } = await import('../server/net/tunnel.js');
        tunnel = await startTunnel({ kind: options.tunnel, port, logger, env: ctx.env });
        server.usePublicUrl(tunnel.url);
        const t = tunnel;
        // Even a crash of this process must not leave the tunnel open: kill it on any exit.
        const killOnExit = () => {
          try {
            process.kill(t.pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        };
        process.once('exit', killOnExit);
        forgetTunnel = () => process.off('exit', killOnExit);
        t.onExit(() => forgetTunnel());
        t.onExit((code, sig) => {
          logger.error('tunnel stopped', { kind: t.kind, code, signal: sig });
          ctx.stderr.write(`porthole: ${t.kind} stopped (${code ?? sig}): links on ${t.url} no longer open; restart serve to get a new tunnel\n`);
        });
      }
      // The client commands find this server through it (contract section 9).
      await writeServerFile(dataDir.dir, { url: localUrl(options.tls ? 'https' : 'http', options.host, port), pid: process.pid });
      serverFileDir = dataDir.dir;
    } catch (err) {
      await Promise.all([server.close().catch(() => {}), tunnel?.stop().then(() => forgetTunnel())]);
      await removeServerFile(dataDir.dir).catch(() => {});
      throw err;
    }
    ctx.stdout.write(`Porthole listening on ${url}\n`);
    if (tunnel) ctx.stdout.write(`Public URL: ${tunnel.url}\n`);
    for (const line of reachLines(server)) ctx.stderr.write(`porthole: ${line}\n`);
    if (options.auth) {
      ctx.stdout.write(`Owner link: ${server.ownerLink()}\n`);
      if (options.password === undefined && config.passwordHash === undefined) {
        ctx.stderr.write('porthole: no password is set: open the owner link above to get in (or set one with `porthole passwd`)\n');
      }
    } else {
      ctx.stderr.write('porthole: auth is off (--no-auth): anyone who can reach this address acts as the owner\n');
    }

    const signal = await signals.stopped;
    logger.info('stopping', { signal });
    const hard = setTimeout(() => {
      logger.error('shutdown took too long; exiting anyway', { deadlineMs: SHUTDOWN_DEADLINE_MS });
      exitNow();
    }, SHUTDOWN_DEADLINE_MS);
    hard.unref();
    try {
      // In parallel: the tunnel's grace and the sessions' grace both fit in the deadline.
      await Promise.all([server.close(), tunnel?.stop().then(() => forgetTunnel())]);
    } finally {
      await removeServerFile(dataDir.dir).catch((err: unknown) => logger.warn('could not remove server.json', { error: err instanceof Error ? err : String(err) }));
      clearTimeout(hard);
    }
    return EXIT.ok;
  } finally {
    signals.dispose();
  }
}
