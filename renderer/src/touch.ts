// Why: on a phone, one finger should move through the shared screen without the browser's own
// scrolling or zooming taking over (touch-action: none on the stage): a vertical drag scrolls
// the scrollback (xterm.js's own touch support is patchy), a sideways drag pans a zoomed
// screen. Each drag locks to the axis it starts on, so a scroll does not drift sideways.
import type { ScaledStage } from './stage.js';

/** Movement (px) before a drag picks its axis. */
const AXIS_LOCK_PX = 6;

export function addTouchGestures(stage: ScaledStage, rows: () => number, scroll: (lines: number) => void): void {
  let last: { x: number; y: number } | null = null;
  let start: { x: number; y: number } | null = null;
  let axis: 'x' | 'y' | null = null;
  let carry = 0;
  const el = stage.el;
  el.addEventListener('touchstart', (ev) => {
    const t = ev.touches.length === 1 ? ev.touches[0] : null;
    last = start = t ? { x: t.clientX, y: t.clientY } : null;
    axis = null;
    carry = 0;
  }, { passive: true });
  el.addEventListener('touchmove', (ev) => {
    if (!last || !start || ev.touches.length !== 1) return;
    const { clientX: x, clientY: y } = ev.touches[0];
    if (!axis) {
      const dx = Math.abs(x - start.x);
      const dy = Math.abs(y - start.y);
      if (Math.max(dx, dy) < AXIS_LOCK_PX) return;
      axis = dx > dy && stage.zoom ? 'x' : 'y';
    }
    if (axis === 'x') stage.panBy(x - last.x);
    else {
      const lineHeight = (stage.host.offsetHeight / Math.max(1, rows())) * stage.scale;
      carry += (last.y - y) / Math.max(1, lineHeight);
      const whole = Math.trunc(carry);
      if (whole) {
        scroll(whole);
        carry -= whole;
      }
    }
    last = { x, y };
    ev.preventDefault();
    ev.stopPropagation();
  }, { passive: false, capture: true });
  el.addEventListener('touchend', () => (last = start = null), { passive: true });
  // Trackpads and shift+wheel pan a zoomed screen sideways; vertical wheel stays xterm's.
  el.addEventListener('wheel', (ev) => {
    if (!stage.zoom || Math.abs(ev.deltaX) <= Math.abs(ev.deltaY)) return;
    stage.panBy(-ev.deltaX);
    ev.preventDefault();
  }, { passive: false });
}
