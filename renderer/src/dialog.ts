// Why: every modal (new session, rename, confirm, share, replay) is a native <dialog>: focus is
// trapped and restored, Esc closes it, and screen readers announce it, with no extra code.
import { h } from './dom.js';

export interface Modal {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
  onClose(fn: () => void): void;
}

/** Where the keyboard goes when a dialog closes: the open terminal, when there is one. The
 *  native <dialog> gives focus back to the button that opened it, so the next key (Space,
 *  Enter) would press that button again instead of reaching the terminal. */
let returnFocus: (() => void) | null = null;

/** Sets the focus target for closed dialogs; the returned function clears it (if still ours). */
export function setDialogReturnFocus(fn: () => void): () => void {
  returnFocus = fn;
  return () => {
    if (returnFocus === fn) returnFocus = null;
  };
}

export function openModal(title: string, className = ''): Modal {
  const heading = h('h2', { class: 'modal-title', id: `modal-${Math.random().toString(36).slice(2)}` }, title);
  const body = h('div', { class: 'modal-body' });
  const closeBtn = h('button', { type: 'button', class: 'btn icon modal-close', 'aria-label': 'Close' }, '✕');
  const dialog = h(
    'dialog',
    { class: `modal ${className}`.trim(), 'aria-labelledby': heading.id },
    h('header', { class: 'modal-head' }, heading, closeBtn),
    body,
  );
  const closers: (() => void)[] = [];
  closeBtn.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    for (const fn of closers) fn();
    dialog.remove();
    // Another dialog still open (a confirm over the share dialog) keeps the focus.
    if (returnFocus && !document.querySelector('dialog[open]')) returnFocus();
  });
  // A click on the backdrop (the dialog element itself, outside its box) closes it.
  dialog.addEventListener('click', (ev) => {
    if (ev.target === dialog) {
      const r = dialog.getBoundingClientRect();
      const inside = ev.clientX >= r.left && ev.clientX <= r.right && ev.clientY >= r.top && ev.clientY <= r.bottom;
      if (!inside) dialog.close();
    }
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, body, close: () => dialog.close(), onClose: (fn) => closers.push(fn) };
}

export function field(label: string, input: HTMLElement, hint?: string | Node): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  const hintEl = hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl);
}

/** A yes/no question; resolves true on confirm. */
export function confirmModal(title: string, text: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const m = openModal(title, 'modal-small');
    let answer = false;
    const yes = h('button', { type: 'button', class: 'btn danger', onclick: () => { answer = true; m.close(); } }, confirmLabel);
    const no = h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Cancel');
    m.body.append(h('p', null, text), h('div', { class: 'actions' }, no, yes));
    m.onClose(() => resolve(answer));
    no.focus();
  });
}
