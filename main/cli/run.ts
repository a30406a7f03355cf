// `porthole run [--name N] [--share view|control] -- CMD [ARG...]`: starts CMD as a new session
// on the running server, in this directory and at this terminal's size, attaches this terminal
// to it and exits with CMD's exit code. The session outlives a detach.
import { UsageError } from '../../common/errors.js';
import { SESSION_NAME_MAX } from '../../common/protocol.js';
import { bridge } from './client/bridge.js';
import { connect, type ClientFlags } from './client/credentials.js';
import { processIO, terminalSize, type ClientIO } from './client/io.js';
import { detachHint, settleOutcome } from './client/outcome.js';
import { parseShareMode } from './share.js';

export const RUN_USAGE = 'usage: porthole run [--name N] [--share view|control] -- CMD [ARG...]';

export interface RunOptions extends ClientFlags {
  /** argv of the command, never a shell string. */
  command: string[];
  name?: string;
  /** When set, a share link of this mode is printed on stderr. */
  share?: string;
}

export async function run(opts: RunOptions, io: ClientIO = processIO()): Promise<number> {
  if (opts.command.length === 0 || opts.command[0] === '') throw new UsageError(`no command given; ${RUN_USAGE}`);
  const shareMode = opts.share === undefined ? undefined : parseShareMode(opts.share, '--share');
  if (opts.name !== undefined && (opts.name.length === 0 || opts.name.length > SESSION_NAME_MAX)) {
    throw new UsageError(`--name must be 1 to ${SESSION_NAME_MAX} characters`);
  }
  const api = await connect(opts, io);
  const { cols, rows } = terminalSize(io);
  const session = await api.createSession({
    command: opts.command,
    cwd: io.cwd,
    cols,
    rows,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  });
  if (shareMode) {
    const link = await api.createShare(session.id, { mode: shareMode });
    io.stderr.write(`porthole: ${shareMode} link: ${link.url}\n`);
  }
  const result = await bridge({
    api,
    sessionId: session.id,
    io,
    clearScreen: false,
    eofSendsCtrlD: true,
    onReady: (s) => {
      if (io.stdin.isTTY) io.stderr.write(detachHint(s.id, s.name));
    },
  });
  return settleOutcome(result, api, session.id, io, opts);
}
