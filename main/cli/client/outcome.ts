// How an attachment ends, as the line the user reads and the status the command exits with;
// shared by `porthole run` and `porthole attach`.
import type { ApiClient } from './api.js';
import { hintFlags, type ClientFlags } from './credentials.js';
import type { BridgeResult } from './bridge.js';
import { DETACH_HELP } from './detach.js';
import { SIGNAL_NUMBER, type ClientIO } from './io.js';

/** A session killed by a signal has no exit code; the command then exits with this. */
export const EXIT_WITHOUT_CODE = 1;
/** After the socket closes without an `exit` message, the API is asked this many times. */
const EXIT_POLLS = 10;
const EXIT_POLL_MS = 100;

export function detachHint(sessionId: string, name: string): string {
  return `porthole: attached to ${name} (${sessionId}); detach with ${DETACH_HELP}\n`;
}

/** The session's exit code when the socket closed before saying it. */
async function exitCodeFromApi(api: ApiClient, sessionId: string): Promise<number | null> {
  for (let i = 0; i < EXIT_POLLS; i++) {
    const s = await api.getSession(sessionId);
    if (s.status === 'exited') return s.exitCode;
    await new Promise((r) => setTimeout(r, EXIT_POLL_MS));
  }
  return null;
}

/** Prints what happened (on stderr) and returns the exit status for the command. */
export async function settleOutcome(result: BridgeResult, api: ApiClient, sessionId: string, io: ClientIO, flags: ClientFlags = {}): Promise<number> {
  // Pasted as it stands, the hint reaches the same server: it repeats --url / --data-dir.
  const again = `\`porthole attach${hintFlags(flags)} ${sessionId}\``;
  switch (result.kind) {
    case 'exited': {
      const code = result.exitCode ?? (await exitCodeFromApi(api, sessionId));
      return code === null ? EXIT_WITHOUT_CODE : Math.min(Math.max(Math.trunc(code), 0), 255);
    }
    case 'detached':
      io.stderr.write(`\r\nporthole: detached; session ${sessionId} keeps running (${again})\n`);
      return 0;
    case 'signal':
      io.stderr.write(`\r\nporthole: ${result.signal}; session ${sessionId} keeps running (${again})\n`);
      return 128 + SIGNAL_NUMBER[result.signal];
  }
}
