// Why: a shared screen is shown at the owner's size, never reflowed: the xterm keeps exactly the
// session's cols x rows and this stage scales it (CSS transform) and letterboxes it to fit the
// box it is given. Used by the viewer and the recording replay.
//
// A wide terminal on a phone fits only at a scale nobody can read, and pinch zoom is off (it
// fights the terminal's own touch handling), so the stage has a zoom of its own: fill the
// height and pan sideways. Narrow boxes align the screen to the top, where it stays visible
// above the on-screen keyboard.
import { h } from './dom.js';

/** Largest upscale: past this, text gets blurry on a canvas renderer and looks oversized. */
export const STAGE_MAX_SCALE = 1.5;
/** Below this box width the screen is aligned to the top instead of centred. */
export const STAGE_TOP_ALIGN_WIDTH = 600;
/** Zoom is offered only when it makes the text at least this much larger. */
const ZOOM_MIN_GAIN = 1.2;

/** The pure geometry, kept apart from the DOM so it can be tested in Node. */
export function stageGeometry(
  screen: { w: number; h: number },
  box: { w: number; h: number },
  zoom: boolean,
  panX: number,
): { scale: number; left: number; top: number; panX: number; zoomable: boolean } {
  const fit = Math.min(box.w / screen.w, box.h / screen.h, STAGE_MAX_SCALE);
  const tall = Math.min(box.h / screen.h, STAGE_MAX_SCALE);
  const zoomable = tall >= fit * ZOOM_MIN_GAIN;
  const scale = zoom && zoomable ? tall : fit;
  const width = screen.w * scale;
  const height = screen.h * scale;
  let left: number;
  if (width > box.w) {
    // Zoomed wider than the box: panX (<= 0) picks the part shown, clamped to the edges.
    panX = Math.min(0, Math.max(box.w - width, panX));
    left = panX;
  } else {
    panX = 0;
    left = (box.w - width) / 2;
  }
  const slack = Math.max(0, box.h - height);
  const top = box.w < STAGE_TOP_ALIGN_WIDTH ? 0 : slack / 2;
  return { scale, left, top, panX, zoomable };
}

export class ScaledStage {
  readonly el: HTMLElement;
  readonly host: HTMLElement;
  scale = 1;
  /** Whether zooming would make the text noticeably larger (the box is width-limited). */
  zoomable = false;
  private zoomed = false;
  private panX = 0;
  private readonly ro: ResizeObserver;
  private frame = 0;
  private listeners: Array<() => void> = [];

  constructor(className = '') {
    this.host = h('div', { class: 'stage-host' });
    this.el = h('div', { class: `stage ${className}`.trim() }, this.host);
    this.ro = new ResizeObserver(() => this.layout());
    this.ro.observe(this.el);
  }

  get zoom(): boolean {
    return this.zoomed;
  }

  set zoom(on: boolean) {
    this.zoomed = on;
    this.el.classList.toggle('zoomed', on);
    this.layoutNow();
  }

  /** Called after each layout (the viewer shows or hides its zoom button). */
  onLayout(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Moves a zoomed screen sideways by dx screen pixels (positive shows more on the left). */
  panBy(dx: number): void {
    this.panX += dx;
    this.layoutNow();
  }

  /** Pans a zoomed screen so the unscaled x (px from the terminal's left) is in view. */
  reveal(x: number, margin = 24): void {
    if (!this.zoomed) return;
    const box = this.el.clientWidth;
    const at = x * this.scale + this.panX;
    if (at < margin) this.panBy(margin - at);
    else if (at > box - margin) this.panBy(box - margin - at);
  }

  /** Recompute scale and position on the next frame (xterm sizes its screen asynchronously). */
  layout(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.layoutNow());
  }

  layoutNow(): void {
    const screen = this.host.querySelector<HTMLElement>('.xterm-screen');
    if (!screen) return;
    const w = screen.offsetWidth;
    const hgt = screen.offsetHeight;
    const box = this.el.getBoundingClientRect();
    if (!w || !hgt || !box.width || !box.height) return;
    const g = stageGeometry({ w, h: hgt }, { w: box.width, h: box.height }, this.zoomed, this.panX);
    this.scale = g.scale;
    this.panX = g.panX;
    this.zoomable = g.zoomable;
    this.host.style.width = `${w}px`;
    this.host.style.height = `${hgt}px`;
    this.host.style.left = `${g.left}px`;
    this.host.style.top = `${g.top}px`;
    this.host.style.transform = `scale(${g.scale})`;
    for (const fn of this.listeners) fn();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.ro.disconnect();
    this.listeners = [];
  }
}
