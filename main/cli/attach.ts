// `porthole attach ID`: this terminal joins a running session (raw mode, size follows the
// terminal) until the session exits or the user types the detach key, which leaves it running.
import { UsageError } from '../../common/errors.js';
import { bridge } from './client/bridge.js';
import { connect, type ClientFlags } from './client/credentials.js';
import { findSession } from './client/format.js';
import { processIO, type ClientIO } from './client/io.js';
import { detachHint, settleOutcome } from './client/outcome.js';

export interface AttachOptions extends ClientFlags {
  /** A session id, a unique id prefix or a unique session name. */
  id: string;
}

export async function attach(opts: AttachOptions, io: ClientIO = processIO()): Promise<number> {
  const api = await connect(opts, io);
  const session = await findSession(api, opts.id);
  if (session.status === 'exited') {
    const how = session.exitCode === null ? 'by a signal' : `with code ${session.exitCode}`;
    throw new UsageError(`session ${session.id} has exited (${how}); \`porthole ls\` lists the running ones`);
  }
  const result = await bridge({
    api,
    sessionId: session.id,
    io,
    clearScreen: true,
    eofSendsCtrlD: false,
    onReady: (s) => io.stderr.write(detachHint(s.id, s.name)),
  });
  return settleOutcome(result, api, session.id, io, opts);
}
