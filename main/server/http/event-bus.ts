// The server's one stream of ServerEvents: sessions and shares publish here, and
// /api/events, Server.onEvent() and the desktop app subscribe. A throwing listener is
// isolated so one bad subscriber cannot break the others or the publisher.
import type { ServerEvent } from '../../../common/protocol.js';
import type { Logger } from '../log.js';

/** `seq` numbers events from 1 in emit order: the `id:` of /api/events (docs/api.md). */
export type EventListener = (e: ServerEvent, seq: number) => void;

/** The response header of GET /api/sessions: the seq of the last event the list reflects. */
export const EVENT_SEQ_HEADER = 'X-Porthole-Event-Seq';

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private last = 0;
  constructor(private readonly logger: Logger) {}

  /** The seq of the last event emitted (0 before any): state read now reflects all up to it. */
  get seq(): number {
    return this.last;
  }

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(e: ServerEvent): void {
    const seq = ++this.last;
    for (const l of [...this.listeners]) {
      try {
        l(e, seq);
      } catch (err) {
        this.logger.warn('event listener failed', { event: e.type, error: err instanceof Error ? err : String(err) });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
