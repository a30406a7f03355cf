// The detach key of `porthole attach` / `porthole run`: Ctrl-] then d. Ctrl-] is telnet's
// escape key, and no common shell or editor binds it by default, so the prefix rarely collides.
// A pure byte filter so it is testable without a terminal.

/** Ctrl-] (group separator). */
export const DETACH_PREFIX = 0x1d;
/** The key after the prefix that detaches. */
export const DETACH_KEY = 0x64; // 'd'
/** How the detach key is written in help and messages. */
export const DETACH_HELP = 'Ctrl-] then d';

export interface FilterResult {
  /** The bytes to send to the session. */
  forward: Buffer;
  /** True once the detach key was typed; bytes after it are dropped. */
  detach: boolean;
}

/**
 * Splits typed bytes into input for the session and the detach key. After the prefix:
 * `d` detaches, a second Ctrl-] sends one literal Ctrl-], anything else sends the prefix and
 * that byte, so nothing typed is lost. The prefix may end one chunk and its key start the next.
 */
export class DetachKeyFilter {
  private pending = false;

  push(chunk: Uint8Array): FilterResult {
    const out: number[] = [];
    for (const b of chunk) {
      if (this.pending) {
        this.pending = false;
        if (b === DETACH_KEY) return { forward: Buffer.from(out), detach: true };
        if (b === DETACH_PREFIX) out.push(DETACH_PREFIX);
        else out.push(DETACH_PREFIX, b);
      } else if (b === DETACH_PREFIX) {
        this.pending = true;
      } else {
        out.push(b);
      }
    }
    return { forward: Buffer.from(out), detach: false };
  }

  /** True while a prefix waits for its key. */
  get waiting(): boolean {
    return this.pending;
  }
}
