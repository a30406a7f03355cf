// Why: a client (page or `porthole attach`) that lost its socket should get back only what it missed (contract section 8,
// resume), not a redraw: no flash, no lost scroll position. This cursor counts where the page
// is in the session's output: `ready` (or `resync`) says the offset at the end of the redraw
// and how many redraw bytes come first; every binary byte after those moves it on. A page
// that dropped output itself (FlowWriter catching up) forgets it, so it gets a redraw.
export interface StreamMark {
  outputOffset?: number;
  redrawBytes?: number;
  resumed?: boolean;
  /** `ready` of a join whose scrollback follows as a `resync`: resuming before it arrives would
   *  leave the page without its scrollback for good, so until then only a redraw will do. */
  scrollbackFollows?: boolean;
}

export class ResumeCursor {
  private offset: number | null = null;
  /** Redraw bytes still to come: they do not move the offset. */
  private skip = 0;

  /** The offset to send as `resumeFrom`, or null when only a redraw can put the page right. */
  get resumeFrom(): number | null {
    return this.skip === 0 ? this.offset : null;
  }

  /** `ready` or `resync`: where the count (re)starts. A server without resume says nothing. */
  start(m: StreamMark): void {
    if (typeof m.outputOffset !== 'number' || m.scrollbackFollows === true) {
      this.offset = null;
      this.skip = 0;
      return;
    }
    this.offset = m.outputOffset;
    this.skip = m.resumed ? 0 : (m.redrawBytes ?? 0);
  }

  /** Binary output received (and handed to the terminal). */
  received(bytes: number): void {
    if (this.offset === null) return;
    const skipped = Math.min(this.skip, bytes);
    this.skip -= skipped;
    this.offset += bytes - skipped;
  }

  /** The page dropped output (or reset its terminal): the next connect must redraw. */
  forget(): void {
    this.offset = null;
    this.skip = 0;
  }
}
