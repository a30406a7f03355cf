// Why: the share dialog turns a session into a link: view or control, an expiry and a label;
// it shows the link with a copy button and a QR code (drawn on a canvas: no data: URLs under
// the CSP), lists the active shares with revoke, and how many people are watching.
import QRCode from 'qrcode';
import type { Session } from '../../common/protocol.js';
import { reachOf } from '../../common/reach.js';
import type { Api } from './api.js';
import { ApiError } from './api.js';
import { field, openModal } from './dialog.js';
import { ago, clear, copyText, h } from './dom.js';
import { CreateShareResponseSchema, ShareListSchema, ViewerListSchema } from './schemas.js';
import { renderWatching } from './watching.js';

const EXPIRIES: [label: string, seconds: number][] = [
  ['15 minutes', 15 * 60],
  ['1 hour', 3600],
  ['8 hours', 8 * 3600],
  ['24 hours', 24 * 3600],
  ['7 days', 7 * 86400],
];

export interface ShareDialog {
  /** The session changed (viewer count) or a share was created/revoked elsewhere. */
  refresh(session?: Session): void;
  /** A viewer joined, left or changed mode, or a control request came or went. */
  refreshWatching(): void;
  close(): void;
}

export function openShareDialog(api: Api, session: Session, onClosed: () => void): ShareDialog {
  const m = openModal(`Share “${session.name}”`, 'modal-share');
  m.onClose(onClosed);

  const viewRadio = h('input', { type: 'radio', name: 'share-mode', value: 'view', id: 'share-mode-view', checked: true });
  const controlRadio = h('input', { type: 'radio', name: 'share-mode', value: 'control', id: 'share-mode-control' });
  const modeGroup = h(
    'fieldset',
    { class: 'field mode-group' },
    h('legend', null, 'They can'),
    h('label', { class: 'radio', for: 'share-mode-view' }, viewRadio, h('span', null, h('strong', null, 'View'), ' — watch only')),
    h('label', { class: 'radio', for: 'share-mode-control' }, controlRadio, h('span', null, h('strong', null, 'Control'), ' — watch and type')),
  );
  const expiry = h('select', { id: 'share-expiry' }, ...EXPIRIES.map(([label, s]) => h('option', { value: String(s), selected: s === 3600 }, label)));
  const label = h('input', { type: 'text', id: 'share-label', maxlength: '128', placeholder: 'e.g. Alice, pairing', autocomplete: 'off' });
  // The link's viewer cap (contract section 8): empty = anyone with the link, any number.
  const maxViewers = h('input', { type: 'number', id: 'share-max-viewers', min: '1', max: '1000', step: '1', placeholder: 'any', inputmode: 'numeric' });
  const capField = h('label', { class: 'field cap-field', for: 'share-max-viewers' }, 'At most ', maxViewers, ' people at once');
  const error = h('p', { class: 'error', role: 'alert' });
  const createBtn = h('button', { type: 'submit', class: 'btn primary' }, 'Create link');
  const form = h(
    'form',
    { class: 'share-form' },
    modeGroup,
    h('div', { class: 'row' }, field('Expires after', expiry), field('Label (optional)', label)),
    capField,
    error,
    h('div', { class: 'actions' }, createBtn),
  );

  const result = h('div', { class: 'share-result', hidden: true, 'aria-live': 'polite' });
  /** The share whose link is on show in `result`. */
  let shownId: string | undefined;
  const viewers = h('p', { class: 'viewers', role: 'status' });
  const watching = h('ul', { class: 'watching-list', 'aria-label': 'Watching now' });
  const list = h('ul', { class: 'share-list', 'aria-label': 'Active links' });
  m.body.append(
    form,
    result,
    h('section', { class: 'share-active' }, h('h3', null, 'Active links'), list, h('h3', null, 'Watching now'), viewers, watching),
  );

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void create();
  });

  async function create(): Promise<void> {
    error.textContent = '';
    createBtn.disabled = true;
    try {
      const body: { mode: 'view' | 'control'; expiresIn: number; label?: string; maxViewers?: number } = {
        mode: controlRadio.checked ? 'control' : 'view',
        expiresIn: Number(expiry.value),
      };
      if (label.value.trim()) body.label = label.value.trim();
      if (maxViewers.value.trim()) {
        const n = Number(maxViewers.value);
        if (!Number.isInteger(n) || n < 1 || n > 1000) {
          error.textContent = 'At most 1 to 1000 people at once, or leave it empty';
          return;
        }
        body.maxViewers = n;
      }
      const share = await api.json(CreateShareResponseSchema, 'POST', `/api/sessions/${encodeURIComponent(session.id)}/shares`, body);
      showResult(share);
      void loadShares();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : 'Could not create the link';
    } finally {
      createBtn.disabled = false;
    }
  }

  /** The new link replaces the form (keeps the dialog short); "Create another" brings it back. */
  function showResult(share: { id: string; url: string; mode: 'view' | 'control'; label: string | null; expiresAt: string }): void {
    clear(result);
    shownId = share.id;
    const { url, mode } = share;
    const input = h('input', { type: 'text', readonly: true, value: url, class: 'share-url', 'aria-label': 'Share link' });
    const copied = h('span', { class: 'copied', 'aria-live': 'polite' });
    const copyBtn = h('button', { type: 'button', class: 'btn primary', 'aria-label': 'Copy link' }, 'Copy');
    copyBtn.addEventListener('click', () => {
      void copyText(url, input).then((ok) => {
        copied.textContent = ok ? 'Copied' : 'Select the link and copy it';
        setTimeout(() => (copied.textContent = ''), 2500);
      });
    });
    // Clicking the link selects all of it, for copying by hand when the clipboard is blocked.
    input.addEventListener('focus', () => input.select());
    const another = h('button', { type: 'button', class: 'btn' }, 'Create another link');
    another.addEventListener('click', () => {
      result.hidden = true;
      form.hidden = false;
      label.value = '';
      maxViewers.value = '';
      (controlRadio.checked ? controlRadio : viewRadio).focus();
    });
    const canvas = h('canvas', { class: 'qr', role: 'img', 'aria-label': 'QR code of the share link' });
    void QRCode.toCanvas(canvas, url, { margin: 2, width: 168, color: { dark: '#0d1117', light: '#ffffff' } }).catch(() => {
      canvas.replaceWith(h('p', { class: 'hint' }, 'The link is too long for a QR code.'));
    });
    const kind = mode === 'control' ? 'Control link' : 'View-only link';
    const reach = reachOf(url);
    const notice = reachNotice(reach, new URL(url).host);
    if (notice) result.append(notice);
    result.append(
      canvas,
      h('div', { class: 'share-result-main' },
        h('p', { class: 'share-result-title' }, h('span', { class: 'badge small', 'data-mode': mode }, mode === 'control' ? 'control' : 'view'),
          ' ', share.label ? `${kind} for ${share.label}` : kind),
        h('div', { class: 'share-link' }, input, copyBtn),
        copied,
        h('p', { class: 'hint' }, `Expires ${new Date(share.expiresAt).toLocaleString()}. Anyone with this link can `,
          mode === 'control' ? 'watch and type into this terminal.' : 'watch this terminal.',
          reach === 'local' ? '' : ' Scan the code to open it on a phone.'),
        h('div', { class: 'share-result-actions' }, another)),
    );
    form.hidden = true;
    result.hidden = false;
    copyBtn.focus();
  }

  function showRevoked(): void {
    shownId = undefined;
    clear(result);
    const another = h('button', { type: 'button', class: 'btn' }, 'Create a new link');
    another.addEventListener('click', () => {
      result.hidden = true;
      form.hidden = false;
      label.value = '';
      maxViewers.value = '';
      viewRadio.focus();
    });
    result.append(
      h('div', { class: 'share-result-main' },
        h('p', { class: 'notice-box share-revoked', role: 'status' }, 'This link was revoked: it no longer opens.'),
        h('div', { class: 'share-result-actions' }, another)),
    );
  }

  async function loadShares(): Promise<void> {
    try {
      const shares = await api.json(ShareListSchema, 'GET', `/api/sessions/${encodeURIComponent(session.id)}/shares`);
      clear(list);
      const now = Date.now();
      const active = shares.filter((s) => Date.parse(s.expiresAt) > now);
      // The link on show was revoked (here, from a terminal or another window): it must not
      // stay up with its QR code and Copy button as if it still worked.
      if (shownId !== undefined && !result.hidden && !active.some((s) => s.id === shownId)) showRevoked();
      if (!active.length) list.append(h('li', { class: 'empty' }, 'No active links.'));
      for (const s of active) {
        const revoke = h('button', { type: 'button', class: 'btn danger small', 'aria-label': `Revoke link ${s.label ?? s.id}` }, 'Revoke');
        revoke.addEventListener('click', () => {
          revoke.disabled = true;
          void api
            .send('DELETE', `/api/shares/${encodeURIComponent(s.id)}`)
            .then(() => loadShares())
            .catch((err: unknown) => {
              revoke.disabled = false;
              error.textContent = err instanceof ApiError ? err.message : 'Could not revoke';
            });
        });
        list.append(
          h('li', { class: 'share-item', 'data-share-id': s.id },
            h('span', { class: `badge small`, 'data-mode': s.mode }, s.mode === 'control' ? 'control' : 'view'),
            h('span', { class: 'share-label' }, s.label ?? 'Unlabelled link'),
            h('span', { class: 'link-viewers', title: 'Watching through this link now' },
              s.maxViewers === null ? `${s.viewers} watching` : `${s.viewers} of ${s.maxViewers} watching`),
            h('span', { class: 'muted' }, `created ${ago(s.createdAt)}, expires ${new Date(s.expiresAt).toLocaleString()}`),
            revoke),
        );
      }
    } catch (err) {
      clear(list);
      list.append(h('li', { class: 'error' }, err instanceof ApiError ? err.message : 'Could not load the links'));
    }
  }

  function showViewers(s: Session): void {
    viewers.textContent =
      s.viewers === 0 ? 'Nobody is connected.' : s.viewers === 1 ? '1 connection open (including this window).' : `${s.viewers} connections open (including this window).`;
  }

  /** Who is watching, one row per socket (GET /api/sessions/:id/viewers). */
  async function loadWatching(): Promise<void> {
    try {
      const all = await api.json(ViewerListSchema, 'GET', `/api/sessions/${encodeURIComponent(session.id)}/viewers`);
      renderWatching(watching, all, {
        answer: (requestId, grant) => void act('POST', requestId, { grant }),
        takeBack: (requestId) => void act('DELETE', requestId),
      });
    } catch {
      watching.replaceChildren(); // an older server has no presence: the count above says enough
    }
  }

  async function act(method: 'POST' | 'DELETE', requestId: string, body?: { grant: boolean }): Promise<void> {
    try {
      await api.send(method, `/api/sessions/${encodeURIComponent(session.id)}/control-requests/${encodeURIComponent(requestId)}`, body);
    } catch (err) {
      // 404: already answered, lapsed or gone; the list below is refreshed either way.
      if (!(err instanceof ApiError && err.status === 404)) error.textContent = err instanceof ApiError ? err.message : 'Could not answer';
    }
    void loadWatching();
  }

  showViewers(session);
  void loadShares();
  void loadWatching();
  // "typing" fades after a minute without an event: re-render now and then.
  const tick = setInterval(() => void loadWatching(), 15_000);
  m.onClose(() => clearInterval(tick));
  viewRadio.focus();

  return {
    refresh(s?: Session) {
      if (s) showViewers(s);
      void loadShares();
      void loadWatching();
    },
    refreshWatching: () => void loadWatching(),
    close: () => m.close(),
  };
}

/**
 * Says plainly who can open the link (contract section 9): a loopback link opens on this
 * computer only, and nobody can scan it from a phone; the fixes are on the server's command
 * line. A LAN link gets a softer note.
 */
function reachNotice(reach: 'public' | 'network' | 'local', host: string): HTMLElement | null {
  if (reach === 'public') return null;
  if (reach === 'network') {
    return h('p', { class: 'hint share-reach', 'data-reach': 'network' },
      `This link opens on your network only (${host}). For people elsewhere, start the server with `,
      h('code', null, '--tunnel cloudflared'), ' or ', h('code', null, '--public-url'), '.');
  }
  return h('div', { class: 'notice-box share-reach', role: 'alert', 'data-reach': 'local' },
    h('strong', null, 'This link only works on this computer'), ` (${host}). Nobody else can open it, and a phone cannot scan it. To share it, start the server with `,
    h('code', null, 'porthole serve --tunnel cloudflared'), ' (anyone, through your own Cloudflare quick tunnel), ',
    h('code', null, '--public-url https://…'), ' (behind your proxy) or ', h('code', null, '--host 0.0.0.0'), ' (your network), then create the link again.');
}
