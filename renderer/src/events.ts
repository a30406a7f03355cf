// Why: the session list is live from GET /api/events. EventSource cannot send the
// Authorization header, so this reads the stream with fetch(), parses SSE itself,
// validates each event with ServerEventSchema and reconnects with backoff.
import { ServerEventSchema, type ServerEvent } from '../../common/protocol.js';
import { backoffDelay, sleep } from './backoff.js';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface EventStreamHandlers {
  /** `seq` is the event's `id:` (EventBus order), undefined from a server that sends none. */
  onEvent(e: ServerEvent, seq: number | undefined): void;
  /** Called on every (re)open: the caller refetches what it may have missed. */
  onOpen(): void;
  onState(state: StreamState): void;
}

/** Incremental SSE parser (the WHATWG rules that matter here: data/event fields, comments, CR/LF). */
export class SseParser {
  private buf = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  constructor(private readonly dispatch: (event: string, data: string, id: string | undefined) => void) {}

  push(text: string): void {
    this.buf += text;
    let idx: number;
    while ((idx = this.buf.search(/\r\n|\r|\n/)) >= 0) {
      // A lone CR at the very end may be half of CRLF: wait for more.
      if (this.buf[idx] === '\r' && idx === this.buf.length - 1) break;
      const line = this.buf.slice(0, idx);
      const sepLen = this.buf.startsWith('\r\n', idx) ? 2 : 1;
      this.buf = this.buf.slice(idx + sepLen);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length) this.dispatch(this.event || 'message', this.data.join('\n'), this.id);
      this.data = [];
      this.event = '';
      this.id = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/** Decodes one SSE message into a validated ServerEvent, or null. The type may ride in the
 *  `event:` field or in the JSON itself. */
export function decodeEvent(event: string, data: string): ServerEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (json && typeof json === 'object' && !('type' in json) && event !== 'message') {
    json = { ...json, type: event };
  }
  const parsed = ServerEventSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export function openEventStream(authHeaders: () => Record<string, string>, handlers: EventStreamHandlers): () => void {
  const ctl = new AbortController();
  void (async () => {
    let attempt = 0;
    handlers.onState('connecting');
    while (!ctl.signal.aborted) {
      try {
        const res = await fetch('/api/events', {
          headers: { ...authHeaders(), Accept: 'text/event-stream' },
          signal: ctl.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          handlers.onState('unauthorized');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        attempt = 0;
        handlers.onState('open');
        handlers.onOpen();
        const parser = new SseParser((ev, data, id) => {
          const e = decodeEvent(ev, data);
          const seq = id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined;
          if (e) handlers.onEvent(e, seq);
        });
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
      } catch {
        /* network loss or abort: fall through to the backoff */
      }
      if (ctl.signal.aborted) return;
      handlers.onState('reconnecting');
      await sleep(backoffDelay(attempt++), ctl.signal);
    }
  })();
  return () => ctl.abort();
}
