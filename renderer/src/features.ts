// Why: a page and a server of different versions must agree on what is offered. The server
// lists what it can do in `ready.features` (contract section 8); these rules decide what the
// viewer shows from that list, so a newer page on an older server hides what would fail.
import type { ViewMode } from '../../common/protocol.js';
import type { EndReason } from './socket.js';

/** "Request control" is offered to a view link on a server that lists the feature; a newer
 *  page on an older server hides it rather than send a message the server does not know. */
export function canRequestControl(mode: ViewMode | null, features: ReadonlySet<string>): boolean {
  return mode === 'view' && features.has('request_control');
}

/** "Replay" is offered on the ended screen only when the server lets a share token read it. */
export function canReplay(reason: EndReason, features: ReadonlySet<string>): boolean {
  return reason.kind === 'ended' && features.has('replay');
}
