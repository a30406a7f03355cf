// Why: a shared screen is shown at the owner's size, never reflowed: the xterm keeps exactly the
// session's cols x rows and this stage scales it (CSS transform) and letterboxes it to fit the
// box it is given. Used by the viewer and the recording replay.
import { h } from './dom.js';

/** Largest upscale: past this, text gets blurry on a canvas renderer and looks oversized. */
export const STAGE_MAX_SCALE = 1.5;

export class ScaledStage {
  readonly el: HTMLElement;
  readonly host: HTMLElement;
  scale = 1;
  private readonly ro: ResizeObserver;
  private frame = 0;

  constructor(className = '') {
    this.host = h('div', { class: 'stage-host' });
    this.el = h('div', { class: `stage ${className}`.trim() }, this.host);
    this.ro = new ResizeObserver(() => this.layout());
    this.ro.observe(this.el);
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
    const scale = Math.min(box.width / w, box.height / hgt, STAGE_MAX_SCALE);
    this.scale = scale;
    this.host.style.width = `${w}px`;
    this.host.style.height = `${hgt}px`;
    this.host.style.left = `${Math.max(0, (box.width - w * scale) / 2)}px`;
    this.host.style.top = `${Math.max(0, (box.height - hgt * scale) / 2)}px`;
    this.host.style.transform = `scale(${scale})`;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.ro.disconnect();
  }
}
