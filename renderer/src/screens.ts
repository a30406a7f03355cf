// Why: every way a page can stop (wrong password, rate limit, expired or revoked link, ended
// session, unreachable server) gets a clear full-page message rather than a blank terminal.
import { h } from './dom.js';

export interface ScreenAction {
  label: string;
  onClick: () => void;
  primary?: boolean;
}

export function messageScreen(
  kind: string,
  title: string,
  body: string | Node,
  actions: ScreenAction[] = [],
): HTMLElement {
  const heading = h('h1', { id: `screen-${kind}-title` }, title);
  const el = h(
    'section',
    { class: `screen screen-${kind}`, 'data-screen': kind, role: 'alert', 'aria-labelledby': heading.id },
    h('div', { class: 'card' }, brand(), heading, typeof body === 'string' ? h('p', null, body) : body,
      actions.length
        ? h(
            'div',
            { class: 'actions' },
            ...actions.map((a) =>
              h('button', { type: 'button', class: a.primary ? 'btn primary' : 'btn', onclick: a.onClick }, a.label),
            ),
          )
        : null,
    ),
  );
  return el;
}

export function brand(): HTMLElement {
  return h('div', { class: 'brand', 'aria-hidden': 'true' }, h('span', { class: 'brand-mark' }), 'Porthole');
}
