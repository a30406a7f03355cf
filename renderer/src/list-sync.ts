// Why: the panel's session list is a GET plus the events that follow it, and on every
// event-stream (re)connect the GET is made again. Events that arrive while that GET is in
// flight may or may not be in its answer: this module holds them, and once the list arrives
// with the seq of the last event it reflects (X-Porthole-Event-Seq), applies only the later
// ones, in order. Without it a session removed meanwhile came back, a new one disappeared.
import type { ServerEvent, Session } from '../../common/protocol.js';

/** Applies one event to the list (the panel's own switch); returns nothing. */
export type ApplyEvent = (e: ServerEvent) => void;

/** Events whose effect the list already shows when its seq covers them (the rest, such as
 *  control requests, are always applied). */
function inList(e: ServerEvent): boolean {
  return e.type.startsWith('session.');
}

export class ListSync {
  private held: Array<{ e: ServerEvent; seq: number | undefined }> | null = null;

  constructor(private readonly apply: ApplyEvent) {}

  /** A reload starts: events from now on are held until finish(). */
  begin(): void {
    this.held ??= [];
  }

  /** An event from the stream: applied now, or held while a reload is in flight. */
  event(e: ServerEvent, seq: number | undefined): void {
    if (this.held) this.held.push({ e, seq });
    else this.apply(e);
  }

  /**
   * The reload's answer: `replace` installs the list, then the held session events newer than
   * `seq` (and every other held event) are applied in order (an event without a seq, or a list without one, is applied: it is
   * harmless to apply an event twice, losing one is not).
   */
  finish(list: Session[], seq: number | undefined, replace: (list: Session[]) => void): void {
    const held = this.held ?? [];
    this.held = null;
    replace(list);
    for (const h of held) if (!inList(h.e) || seq === undefined || h.seq === undefined || h.seq > seq) this.apply(h.e);
  }

  /** The reload failed: apply what was held as it came. */
  abort(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const h of held) this.apply(h.e);
  }
}
