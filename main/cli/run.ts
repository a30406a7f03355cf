// `porthole run [--name N] [--share view|control] -- CMD [ARG...]`: starts CMD as a new session
// on the running server, in this directory and at this terminal's size, attaches this terminal
// to it and exits with CMD's exit code. The session outlives a detach.
import { UsageError } from '../../common/errors.js';
import { SESSION_NAME_MAX } from '../../common/protocol.js';
import { bridge } from './client/bridge.js';
import { connect, type ClientFlags } from './client/credentials.js';
import { processIO, terminalSize, type ClientIO, type ClientOutput } from './client/io.js';
import { detachHint, settleOutcome } from './client/outcome.js';
import { parseShareMode } from './share.js';

/** xterm's title stack (CSI 22/23 t): our title goes on top and the user's comes back after. */
const TITLE_PUSH = '\x1b[22;0t';
export const TITLE_POP = '\x1b[23;0t';

/** OSC 2 with the text's control characters removed (a URL has none, but be strict). */
export function linkTitle(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `${TITLE_PUSH}\x1b]2;${text.replace(/[\x00-\x1f\x7f]/g, '')}\x07`;
}

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
  let link: string | undefined;
  if (shareMode) {
    link = (await api.createShare(session.id, { mode: shareMode })).url;
    io.stderr.write(`porthole: ${shareMode} link: ${link}\n`);
  }
  // A full-screen program (top, vim) wipes the line above at once: the link also goes into the
  // terminal's title, where it stays visible, and is printed again when this terminal leaves.
  const titled = link !== undefined && (io.stderr as ClientOutput).isTTY === true;
  const result = await bridge({
    api,
    sessionId: session.id,
    io,
    clearScreen: false,
    eofSendsCtrlD: true,
    onReady: (s) => {
      if (io.stdin.isTTY) io.stderr.write(detachHint(s.id, s.name));
      if (titled) io.stderr.write(linkTitle(`porthole ${shareMode} link: ${link}`));
    },
  });
  if (titled) io.stderr.write(TITLE_POP);
  const code = await settleOutcome(result, api, session.id, io, opts);
  if (link && result.kind !== 'exited') io.stderr.write(`porthole: ${shareMode} link: ${link}\n`);
  return code;
}
