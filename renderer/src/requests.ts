// Why: a control request must reach the owner at once, whatever the panel shows (contract
// section 8): each control.requested event becomes a toast with Allow / Deny in the corner of
// the panel, gone when answered here, elsewhere (tray, another window) or lapsed.
import type { Viewer } from '../../common/protocol.js';
import { ApiError, type Api } from './api.js';
import { h } from './dom.js';

export interface RequestToasts {
  add(sessionId: string, sessionName: string, requestId: string, viewer: Viewer): void;
  /** The request is no longer pending (control.resolved, or its session went away). */
  remove(requestId: string): void;
  dispose(): void;
}

export function requestToasts(parent: HTMLElement, api: Api): RequestToasts {
  const box = h('div', { class: 'toasts', role: 'region', 'aria-label': 'Control requests', 'aria-live': 'assertive' });
  parent.append(box);
  const shown = new Map<string, HTMLElement>();

  function remove(requestId: string): void {
    shown.get(requestId)?.remove();
    shown.delete(requestId);
  }

  return {
    add(sessionId, sessionName, requestId, viewer) {
      if (shown.has(requestId)) return;
      const who = viewer.label ?? 'Someone with a view link';
      const answer = (grant: boolean) => {
        for (const b of toast.querySelectorAll('button')) b.disabled = true;
        void api
          .send('POST', `/api/sessions/${encodeURIComponent(sessionId)}/control-requests/${encodeURIComponent(requestId)}`, { grant })
          .then(() => remove(requestId))
          .catch((err: unknown) => {
            if (err instanceof ApiError && err.status === 404) remove(requestId); // answered or lapsed meanwhile
            else for (const b of toast.querySelectorAll('button')) b.disabled = false;
          });
      };
      const toast = h('div', { class: 'toast control-request', role: 'alertdialog', 'data-request-id': requestId, 'aria-label': `${who} asks for control` },
        h('p', null, h('strong', null, who), ' asks to type in ', h('em', null, sessionName), '.'),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn primary small', onclick: () => answer(true) }, 'Allow'),
          h('button', { type: 'button', class: 'btn small', onclick: () => answer(false) }, 'Deny')));
      shown.set(requestId, toast);
      box.append(toast);
    },
    remove,
    dispose() {
      box.remove();
      shown.clear();
    },
  };
}
