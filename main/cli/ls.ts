// `porthole ls [--json]`: the sessions on the running server, as a table for people or as the
// API's raw JSON array for scripts.
import { connect, hintFlags, type ClientFlags } from './client/credentials.js';
import { formatSessionTable } from './client/format.js';
import { processIO, type ClientIO } from './client/io.js';

export interface LsOptions extends ClientFlags {
  /** Print the raw `GET /api/sessions` array instead of the table. */
  json?: boolean;
}

export async function ls(opts: LsOptions, io: ClientIO = processIO()): Promise<number> {
  const api = await connect(opts, io);
  const sessions = await api.listSessions();
  if (opts.json) {
    io.stdout.write(JSON.stringify(sessions, null, 2) + '\n');
  } else if (sessions.length === 0) {
    io.stdout.write(`No sessions. Start one with \`porthole run${hintFlags(opts)} -- CMD\` or from the control panel.\n`);
  } else {
    io.stdout.write(formatSessionTable(sessions, Date.now(), io.stdout.isTTY ? io.stdout.columns : undefined));
  }
  return 0;
}
