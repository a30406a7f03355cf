// Why: a phone's on-screen keyboard has no Esc, Tab, Ctrl or arrows; control links get a key bar
// with them. Ctrl is sticky: it applies to the next key typed.
import { h } from './dom.js';

const KEYS: [label: string, aria: string, seq: string][] = [
  ['Esc', 'Escape', '\x1b'],
  ['Tab', 'Tab', '\t'],
  ['↑', 'Arrow up', '\x1b[A'],
  ['↓', 'Arrow down', '\x1b[B'],
  ['←', 'Arrow left', '\x1b[D'],
  ['→', 'Arrow right', '\x1b[C'],
  ['^C', 'Control C', '\x03'],
];

export interface KeyBar {
  el: HTMLElement;
  /** Apply a sticky Ctrl to typed input; returns what to send. */
  transform(data: string): string;
}

export function createKeyBar(send: (data: string) => void, refocus: () => void): KeyBar {
  let ctrl = false;
  const ctrlBtn = h(
    'button',
    { type: 'button', class: 'key', 'aria-pressed': 'false', 'aria-label': 'Control (applies to the next key)' },
    'Ctrl',
  );
  const setCtrl = (on: boolean): void => {
    ctrl = on;
    ctrlBtn.setAttribute('aria-pressed', String(on));
    ctrlBtn.classList.toggle('on', on);
  };
  ctrlBtn.addEventListener('click', () => {
    setCtrl(!ctrl);
    refocus();
  });
  const el = h(
    'div',
    { class: 'keybar', role: 'toolbar', 'aria-label': 'Special keys' },
    ctrlBtn,
    ...KEYS.map(([label, aria, seq]) =>
      h(
        'button',
        {
          type: 'button',
          class: 'key',
          'aria-label': aria,
          onclick: () => {
            send(seq);
            setCtrl(false);
            refocus();
          },
        },
        label,
      ),
    ),
  );
  // Keep the terminal focused (and the phone keyboard up) when a key is tapped.
  el.addEventListener('pointerdown', (ev) => ev.preventDefault());
  return {
    el,
    transform(data: string): string {
      if (!ctrl || data.length !== 1) return data;
      setCtrl(false);
      const c = data.toUpperCase().charCodeAt(0);
      return c >= 0x40 && c <= 0x5f ? String.fromCharCode(c & 0x1f) : data;
    },
  };
}
