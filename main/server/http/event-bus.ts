// The server's one stream of ServerEvents: sessions and shares publish here, and
// /api/events, Server.onEvent() and the desktop app subscribe. A throwing listener is
// isolated so one bad subscriber cannot break the others or the publisher.
import type { ServerEvent } from '../../../common/protocol.js';
import type { Logger } from '../log.js';

export type EventListener = (e: ServerEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  constructor(private readonly logger: Logger) {}

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(e: ServerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.logger.warn('event listener failed', { event: e.type, error: err instanceof Error ? err : String(err) });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
