// Why: the owner should see who is watching right now (contract section 8, presence), one row
// per open socket: which link (its label), in what mode, since when, whether it typed in the
// last minute, and act on it: Allow / Deny a pending control request, Take back a grant.
// The share dialog shows it; the rows come from GET /api/sessions/:id/viewers and are
// refreshed on viewer.* and control.* events.
import type { Viewer } from '../../common/protocol.js';
import { ago, h } from './dom.js';

/** "Typed in the last minute" (the panel's rule; the server stamps lastInputAt). */
export const TYPED_RECENTLY_MS = 60_000;

export function typedRecently(v: Viewer, now = Date.now()): boolean {
  return v.lastInputAt !== null && now - Date.parse(v.lastInputAt) < TYPED_RECENTLY_MS;
}

/** What a row offers: a pending request (view mode with a requestId) or a grant to take back. */
export function rowAction(v: Viewer): 'answer' | 'take_back' | null {
  if (v.kind !== 'share' || v.requestId === null) return null;
  return v.mode === 'control' ? 'take_back' : 'answer';
}

export interface WatchingActions {
  answer(requestId: string, grant: boolean): void;
  takeBack(requestId: string): void;
}

/** One <li> per socket, owner first; `self` (this window's own socket) is not told apart. */
export function renderWatching(list: HTMLElement, viewers: Viewer[], actions: WatchingActions, now = Date.now()): void {
  list.replaceChildren();
  if (!viewers.length) {
    list.append(h('li', { class: 'empty' }, 'Nobody is watching.'));
    return;
  }
  const ordered = [...viewers].sort((a, b) => Number(b.kind === 'owner') - Number(a.kind === 'owner') || Date.parse(a.connectedAt) - Date.parse(b.connectedAt));
  for (const v of ordered) {
    const who = v.kind === 'owner' ? 'You (owner)' : (v.label ?? 'Unlabelled link');
    const typed = typedRecently(v, now);
    const act = rowAction(v);
    const buttons: HTMLElement[] = [];
    if (act === 'answer' && v.requestId) {
      const id = v.requestId;
      buttons.push(
        h('button', { type: 'button', class: 'btn primary small', 'aria-label': `Allow ${who} to type`, onclick: () => actions.answer(id, true) }, 'Allow'),
        h('button', { type: 'button', class: 'btn small', 'aria-label': `Deny ${who} control`, onclick: () => actions.answer(id, false) }, 'Deny'),
      );
    } else if (act === 'take_back' && v.requestId) {
      const id = v.requestId;
      buttons.push(h('button', { type: 'button', class: 'btn danger small', 'aria-label': `Take control back from ${who}`, onclick: () => actions.takeBack(id) }, 'Take back'));
    }
    list.append(
      h('li', { class: 'watching-item', 'data-viewer-id': v.id, 'data-mode': v.mode },
        h('span', { class: 'badge small', 'data-mode': v.mode }, v.mode),
        h('span', { class: 'share-label' }, who),
        h('span', { class: 'muted', title: new Date(v.connectedAt).toLocaleString() }, `since ${ago(v.connectedAt, now)}`),
        typed ? h('span', { class: 'typed', title: `typed ${ago(v.lastInputAt, now)}` }, 'typing') : null,
        act === 'answer' ? h('span', { class: 'asks' }, 'asks for control') : null,
        ...buttons),
    );
  }
}
