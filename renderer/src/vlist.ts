// Why: a folder can hold 10,000 entries or more; making a DOM row for each makes the view slow
// to open and to scroll. VirtualList keeps only the rows in view (plus a margin) in the DOM, at
// fixed height, reusing row elements as the list scrolls; the spacer gives the scrollbar its
// true length. Rows are built by the caller, so this module knows nothing about files.

export interface VirtualListOptions<T> {
  rowHeight: number;
  /** Make an empty row element (called only as many times as rows fit on screen). */
  createRow(): HTMLElement;
  /** Fill a (reused) row element for item `index`. */
  renderRow(el: HTMLElement, item: T, index: number): void;
}

/** Rows kept above and below the visible ones, so a fast scroll does not show blanks. */
const OVERSCAN = 8;

export class VirtualList<T> {
  readonly el: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private items: readonly T[] = [];
  private frame = 0;
  private readonly ro: ResizeObserver;

  constructor(private readonly opts: VirtualListOptions<T>, attrs: { label: string; className: string }) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.el = document.createElement('div');
    this.el.className = attrs.className;
    this.el.setAttribute('role', 'list');
    this.el.setAttribute('aria-label', attrs.label);
    this.el.tabIndex = -1;
    this.el.append(this.spacer);
    this.el.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.ro = new ResizeObserver(() => this.schedule());
    this.ro.observe(this.el);
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.el.scrollTop = 0;
    this.spacer.style.height = `${items.length * this.opts.rowHeight}px`;
    this.render();
  }

  get length(): number {
    return this.items.length;
  }

  /** Index range now in the DOM (for tests and the status line). */
  rendered(): { from: number; to: number } {
    const from = Math.max(0, Math.floor(this.el.scrollTop / this.opts.rowHeight) - OVERSCAN);
    const visible = Math.ceil((this.el.clientHeight || 0) / this.opts.rowHeight) + 2 * OVERSCAN;
    return { from, to: Math.min(this.items.length, from + visible) };
  }

  /** Scrolls so item `index` is in view. */
  reveal(index: number): void {
    const top = index * this.opts.rowHeight;
    if (top < this.el.scrollTop) this.el.scrollTop = top;
    else if (top + this.opts.rowHeight > this.el.scrollTop + this.el.clientHeight) this.el.scrollTop = top + this.opts.rowHeight - this.el.clientHeight;
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const { from, to } = this.rendered();
    const need = to - from;
    while (this.pool.length < need) {
      const row = this.opts.createRow();
      row.style.position = 'absolute';
      row.style.left = '0';
      row.style.right = '0';
      row.style.height = `${this.opts.rowHeight}px`;
      this.pool.push(row);
      this.el.append(row);
    }
    for (let k = 0; k < this.pool.length; k++) {
      const row = this.pool[k];
      const i = from + k;
      if (k >= need) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      row.style.top = `${i * this.opts.rowHeight}px`;
      row.dataset.index = String(i);
      this.opts.renderRow(row, this.items[i], i);
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.ro.disconnect();
  }
}
