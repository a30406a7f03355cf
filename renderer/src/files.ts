// Why: the owner's Files view beside the terminal (loaded on first use: it is not part of the
// first screen). It opens where the session's shell is now and follows its `cd`s
// (GET /api/sessions/:id/cwd), lists a folder through a virtual list (10,000 entries stay
// smooth), previews small text files and images before download, uploads with progress and
// Cancel (picker, or files dropped here or onto the terminal), asks before it overwrites, and
// makes folders. Share links never load it: the viewer page has no route to it.
import './files.css';
import { CurrentCwdSchema, DirListingSchema, MkdirResponseSchema, type DirEntry } from '../../common/protocol.js';
import { ApiError, type Api } from './api.js';
import { confirmModal, field, openModal } from './dialog.js';
import { clear, h } from './dom.js';
import { crumbs, explainFsError, formatSize, joinPath, previewKind, tooBigMessage, visibleEntries } from './files-logic.js';
import { startUpload, type UploadHandle } from './uploads.js';
import { VirtualList } from './vlist.js';

export interface FilesViewOptions {
  api: Api;
  sessionId: string;
  onAuthLost(): void;
  onClose(): void;
}

export interface FilesView {
  el: HTMLElement;
  /** Uploads into the shell's current folder (files dropped onto the terminal). */
  uploadToCwd(files: File[]): void;
  dispose(): void;
}

/** How often the shell's folder is asked for while the view is open. */
const FOLLOW_INTERVAL_MS = 1500;
const ROW_HEIGHT = 30;

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function openFilesView(opts: FilesViewOptions): FilesView {
  const { api } = opts;
  let dir: string | null = null;
  let entries: DirEntry[] = [];
  let shown: DirEntry[] = [];
  let showHidden = false;
  let uploadMax: number | undefined;
  let shellCwd: string | null = null;
  let navSeq = 0;
  let disposed = false;
  let queue: Promise<void> = Promise.resolve();
  const active = new Set<UploadItem>();

  const title = h('h2', { class: 'fv-title' }, 'Files');
  const hiddenBtn = h('button', { type: 'button', class: 'btn small', 'aria-pressed': 'false', title: 'Show hidden files (names starting with a dot)', onclick: () => toggleHidden() }, 'Hidden');
  const picker = h('input', { type: 'file', multiple: true, hidden: true, class: 'fv-picker', 'aria-label': 'Files to upload' });
  const uploadBtn = h('button', { type: 'button', class: 'btn small primary', onclick: () => picker.click() }, 'Upload');
  const mkdirBtn = h('button', { type: 'button', class: 'btn small', onclick: () => newFolderDialog() }, 'New folder');
  const shellBtn = h('button', { type: 'button', class: 'btn small', title: "Go to the shell's current folder", onclick: () => void goToShell() }, 'Shell folder');
  const refreshBtn = h('button', { type: 'button', class: 'btn small icon', 'aria-label': 'Refresh', title: 'Refresh', onclick: () => dir && void navigate(dir, true) }, '⟳');
  const closeBtn = h('button', { type: 'button', class: 'btn small icon', 'aria-label': 'Close the Files view', title: 'Close', onclick: () => opts.onClose() }, '✕');
  const crumbBar = h('nav', { class: 'fv-crumbs', 'aria-label': 'Folder path' });
  const errorEl = h('p', { class: 'fv-error', role: 'alert', hidden: true });
  const uploadsEl = h('ul', { class: 'fv-uploads', 'aria-label': 'Uploads' });
  const statusEl = h('p', { class: 'fv-status', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const dropHint = h('div', { class: 'fv-drop', 'aria-hidden': 'true' }, 'Drop files to upload here');

  const list = new VirtualList<DirEntry>(
    {
      rowHeight: ROW_HEIGHT,
      createRow: () =>
        h('button', { type: 'button', class: 'fv-row', role: 'listitem' },
          h('span', { class: 'fv-icon', 'aria-hidden': 'true' }),
          h('span', { class: 'fv-name' }),
          h('span', { class: 'fv-size' }),
          h('span', { class: 'fv-mtime' })),
      renderRow(el, e) {
        const [icon, name, size, mtime] = Array.from(el.children) as HTMLElement[];
        icon.dataset.type = e.type; // drawn in CSS (files.css): no emoji font is needed
        name.textContent = e.name;
        size.textContent = e.type === 'dir' ? '' : formatSize(e.size);
        const t = Date.parse(e.mtime);
        mtime.textContent = t > 0 ? dateFmt.format(t) : '';
        el.dataset.name = e.name;
        el.dataset.type = e.type;
        el.setAttribute('aria-label', `${e.name}, ${e.type === 'dir' ? 'folder' : e.type === 'symlink' ? 'link' : formatSize(e.size)}`);
      },
    },
    { label: 'Folder contents', className: 'fv-list' },
  );
  list.el.addEventListener('click', (ev) => {
    const row = (ev.target as HTMLElement).closest<HTMLElement>('.fv-row');
    const e = row ? shown[Number(row.dataset.index)] : undefined;
    if (e) void openEntry(e);
  });
  list.el.addEventListener('keydown', (ev) => {
    const row = (ev.target as HTMLElement).closest<HTMLElement>('.fv-row');
    if (!row) return;
    const i = Number(row.dataset.index);
    const next = ev.key === 'ArrowDown' ? i + 1 : ev.key === 'ArrowUp' ? i - 1 : ev.key === 'Home' ? 0 : ev.key === 'End' ? shown.length - 1 : null;
    if (next !== null && next >= 0 && next < shown.length) {
      ev.preventDefault();
      list.reveal(next);
      list.el.querySelector<HTMLElement>(`.fv-row[data-index="${next}"]`)?.focus();
    } else if (ev.key === 'Backspace') {
      ev.preventDefault();
      goUp();
    }
  });

  const el = h('aside', { class: 'files-view', 'aria-label': 'Files' },
    h('div', { class: 'fv-head' }, title, h('span', { class: 'spacer' }), hiddenBtn, mkdirBtn, uploadBtn, closeBtn),
    h('div', { class: 'fv-nav' }, crumbBar, shellBtn, refreshBtn),
    errorEl,
    uploadsEl,
    h('div', { class: 'fv-cols', 'aria-hidden': 'true' }, h('span', null, 'Name'), h('span', null, 'Size'), h('span', null, 'Modified')),
    list.el,
    statusEl,
    picker,
    dropHint,
  );

  picker.addEventListener('change', () => {
    const files = Array.from(picker.files ?? []);
    picker.value = '';
    if (dir && files.length) uploadFiles(files, dir);
  });

  // Files dropped onto the view go into the folder it shows.
  let dragDepth = 0;
  const hasFiles = (ev: DragEvent): boolean => Array.from(ev.dataTransfer?.types ?? []).includes('Files');
  el.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    dragDepth++;
    el.classList.add('dragging');
  });
  el.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
  });
  el.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) el.classList.remove('dragging');
  });
  el.addEventListener('drop', (ev) => {
    ev.preventDefault();
    dragDepth = 0;
    el.classList.remove('dragging');
    const files = Array.from(ev.dataTransfer?.files ?? []);
    if (dir && files.length) uploadFiles(files, dir);
  });

  function showError(text: string | null): void {
    errorEl.textContent = text ?? '';
    errorEl.hidden = !text;
  }

  function failed(err: unknown, doing: string): string {
    if (err instanceof ApiError) {
      if (err.status === 401) opts.onAuthLost();
      return explainFsError(err, doing);
    }
    return `Something went wrong while ${doing}.`;
  }

  /** Lists `path`; `notFolder` (for links) runs instead of an error when it is not a folder. */
  async function navigate(path: string, keepScroll = false, notFolder?: () => Promise<void>): Promise<boolean> {
    const seq = ++navSeq;
    const started = performance.now();
    statusEl.textContent = 'Loading…';
    el.setAttribute('aria-busy', 'true');
    try {
      const listing = await api.json(DirListingSchema, 'GET', `/api/fs?path=${encodeURIComponent(path)}`);
      if (seq !== navSeq || disposed) return false;
      const t0 = performance.now();
      dir = listing.path;
      entries = listing.entries;
      uploadMax = listing.uploadMaxBytes;
      showError(null);
      renderCrumbs();
      renderList(keepScroll);
      el.dataset.path = dir;
      // Read by the e2e tests and benchmarks/results/files-view.md: fetch+parse+render, render alone.
      el.dataset.renderMs = (performance.now() - t0).toFixed(1);
      el.dataset.loadMs = (performance.now() - started).toFixed(1);
      return true;
    } catch (err) {
      if (seq !== navSeq || disposed) return false;
      if (notFolder && err instanceof ApiError && err.code === 'validation_failed') {
        statusEl.textContent = '';
        await notFolder();
        return false;
      }
      showError(failed(err, `opening ${path}`));
      statusEl.textContent = '';
      return false;
    } finally {
      if (seq === navSeq) el.removeAttribute('aria-busy');
    }
  }

  function renderCrumbs(): void {
    clear(crumbBar);
    if (!dir) return;
    const parts = crumbs(dir);
    parts.forEach((c, i) => {
      const last = i === parts.length - 1;
      if (i > 1) crumbBar.append(h('span', { class: 'fv-sep', 'aria-hidden': 'true' }, '/'));
      crumbBar.append(
        h('button', { type: 'button', class: 'fv-crumb', 'aria-current': last ? 'location' : undefined, onclick: () => void navigate(c.path) }, c.label),
      );
    });
    crumbBar.scrollLeft = crumbBar.scrollWidth;
  }

  function renderList(keepScroll: boolean): void {
    const top = list.el.scrollTop;
    shown = visibleEntries(entries, showHidden);
    list.setItems(shown);
    if (keepScroll) list.el.scrollTop = top;
    const hidden = entries.length - visibleEntries(entries, false).length;
    statusEl.textContent =
      `${shown.length.toLocaleString()} item${shown.length === 1 ? '' : 's'}` +
      (hidden && !showHidden ? ` · ${hidden.toLocaleString()} hidden` : '') +
      (shown.length ? '' : ' · this folder is empty');
    el.dataset.count = String(shown.length);
  }

  function toggleHidden(): void {
    showHidden = !showHidden;
    hiddenBtn.setAttribute('aria-pressed', String(showHidden));
    renderList(false);
  }

  function goUp(): void {
    if (!dir) return;
    const parts = crumbs(dir);
    if (parts.length > 1) void navigate(parts[parts.length - 2].path);
  }

  async function probeShell(): Promise<string | null> {
    try {
      return (await api.json(CurrentCwdSchema, 'GET', `/api/sessions/${encodeURIComponent(opts.sessionId)}/cwd`)).cwd;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) opts.onAuthLost();
      return null;
    }
  }

  async function goToShell(): Promise<void> {
    const cwd = await probeShell();
    if (cwd) {
      shellCwd = cwd;
      await navigate(cwd);
    }
  }

  // Follow the shell: when its folder changes, the view goes there (a folder the owner opened
  // by hand stays open until the shell moves again).
  const follow = setInterval(() => {
    if (document.hidden || disposed) return;
    void probeShell().then((cwd) => {
      if (!cwd || disposed || cwd === shellCwd) return;
      shellCwd = cwd;
      void navigate(cwd);
    });
  }, FOLLOW_INTERVAL_MS);

  async function openEntry(e: DirEntry): Promise<void> {
    if (!dir) return;
    const p = joinPath(dir, e.name);
    if (e.type === 'dir') {
      await navigate(p);
      return;
    }
    if (e.type === 'symlink') {
      // A link to a folder opens it; a link to a file (the listing says "not a folder") is a file.
      await navigate(p, false, () => openFile(p, e));
      return;
    }
    await openFile(p, e);
  }

  async function openFile(p: string, e: DirEntry): Promise<void> {
    const kind = previewKind(e.name, e.size);
    if (kind) await preview(p, e, kind);
    else await download(p, e.name);
  }

  async function fetchFile(p: string): Promise<Blob> {
    const res = await api.raw('GET', `/api/fs/file?path=${encodeURIComponent(p)}`);
    return res.blob();
  }

  function saveBlob(blob: Blob, name: string): void {
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  async function download(p: string, name: string): Promise<void> {
    statusEl.textContent = `Downloading ${name}…`;
    try {
      saveBlob(await fetchFile(p), name);
      statusEl.textContent = `Downloaded ${name}`;
    } catch (err) {
      showError(failed(err, `downloading ${name}`));
    }
  }

  async function preview(p: string, e: DirEntry, kind: 'text' | 'image'): Promise<void> {
    const m = openModal(e.name, 'modal-preview');
    const body = h('div', { class: 'fv-preview', 'data-kind': kind }, h('p', { class: 'muted' }, 'Loading…'));
    const dl = h('button', { type: 'button', class: 'btn primary', disabled: true }, `Download (${formatSize(e.size)})`);
    m.body.append(body, h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Close'), dl));
    let url: string | null = null;
    m.onClose(() => url && URL.revokeObjectURL(url));
    try {
      const blob = await fetchFile(p);
      dl.disabled = false;
      dl.addEventListener('click', () => saveBlob(blob, e.name));
      clear(body);
      if (kind === 'image') {
        url = URL.createObjectURL(blob);
        body.append(h('img', { src: url, alt: e.name, class: 'fv-img' }));
      } else {
        body.append(h('pre', { class: 'code fv-text', tabindex: '0' }, await blob.text()));
      }
      dl.focus();
    } catch (err) {
      clear(body);
      body.append(h('p', { class: 'error', role: 'alert' }, failed(err, `opening ${e.name}`)));
    }
  }

  function newFolderDialog(): void {
    if (!dir) return;
    const parent = dir;
    const m = openModal('New folder', 'modal-small');
    const name = h('input', { type: 'text', id: 'fv-mkdir-name', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: '255' });
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h('form', null, field(`Name (in ${parent})`, name), error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn primary' }, 'Create')));
    m.body.append(form);
    name.focus();
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = name.value.trim();
      if (!value || value === '.' || value === '..' || /[/\\]/.test(value)) {
        error.textContent = 'A folder name cannot be empty, “.” or “..”, or contain / or \\.';
        return;
      }
      api
        .json(MkdirResponseSchema, 'POST', `/api/fs/mkdir?path=${encodeURIComponent(joinPath(parent, value))}`)
        .then(async () => {
          m.close();
          if (await navigate(parent, true)) {
            const i = shown.findIndex((x) => x.name === value);
            if (i >= 0) list.reveal(i);
          }
        })
        .catch((err: unknown) => {
          error.textContent = err instanceof ApiError && err.code === 'conflict' ? `“${value}” already exists here.` : failed(err, `creating ${value}`);
        });
    });
  }

  function uploadFiles(files: File[], target: string): void {
    for (const file of files) {
      const item = uploadItem(file);
      queue = queue.then(() => runUpload(file, target, item));
    }
  }

  interface UploadItem {
    li: HTMLElement;
    bar: HTMLProgressElement;
    text: HTMLElement;
    cancel: HTMLButtonElement;
    handle: UploadHandle | null;
    cancelled: boolean;
  }

  function uploadItem(file: File): UploadItem {
    const bar = h('progress', { max: String(Math.max(1, file.size)), value: '0', 'aria-label': `Upload progress of ${file.name}` });
    const text = h('span', { class: 'fv-up-text' }, 'Waiting…');
    const cancel = h('button', { type: 'button', class: 'btn small', 'aria-label': `Cancel the upload of ${file.name}` }, 'Cancel');
    const li = h('li', { class: 'fv-upload', 'data-name': file.name }, h('span', { class: 'fv-up-name' }, file.name), bar, text, cancel);
    const item: UploadItem = { li, bar, text, cancel, handle: null, cancelled: false };
    active.add(item);
    cancel.addEventListener('click', () => {
      item.cancelled = true;
      if (item.handle) item.handle.cancel();
      else finish(item, 'cancelled', 'Cancelled');
    });
    uploadsEl.append(li);
    return item;
  }

  function finish(item: UploadItem, state: 'done' | 'cancelled' | 'failed', text: string): void {
    active.delete(item);
    item.li.dataset.state = state;
    item.text.textContent = text;
    item.cancel.textContent = 'Dismiss';
    item.cancel.setAttribute('aria-label', 'Dismiss');
    item.cancel.onclick = () => item.li.remove();
    if (state !== 'failed') setTimeout(() => item.li.remove(), state === 'done' ? 4000 : 2500);
  }

  async function runUpload(file: File, target: string, item: UploadItem): Promise<void> {
    if (item.cancelled || disposed) return;
    const tooBig = tooBigMessage(file.name, file.size, uploadMax);
    if (tooBig) return finish(item, 'failed', tooBig);
    let overwrite = false;
    if (target === dir && entries.some((e) => e.name === file.name)) {
      overwrite = await confirmModal('Replace file?', `“${file.name}” already exists in ${target}. Replace it with the one you are uploading?`, 'Replace');
      if (!overwrite) return finish(item, 'cancelled', 'Not replaced');
    }
    for (;;) {
      item.li.dataset.state = 'running';
      item.text.textContent = '0%';
      item.handle = startUpload(file, target, file.name, {
        overwrite,
        headers: api.authHeaders(),
        onProgress: ({ loaded, total }) => {
          item.bar.max = Math.max(1, total);
          item.bar.value = loaded;
          item.text.textContent = `${Math.floor((loaded / Math.max(1, total)) * 100)}%`;
        },
      });
      try {
        await item.handle.done;
        item.bar.value = item.bar.max;
        finish(item, 'done', 'Uploaded');
        if (target === dir) await navigate(target, true);
        return;
      } catch (err) {
        item.handle = null;
        if (err instanceof ApiError && err.code === 'aborted') return finish(item, 'cancelled', 'Cancelled');
        if (err instanceof ApiError && err.code === 'conflict' && !overwrite) {
          // The name appeared after the listing was read.
          overwrite = await confirmModal('Replace file?', `“${file.name}” already exists in ${target}. Replace it?`, 'Replace');
          if (overwrite) continue;
          return finish(item, 'cancelled', 'Not replaced');
        }
        return finish(item, 'failed', failed(err, `uploading ${file.name}`));
      }
    }
  }

  // Open at the shell's current folder.
  const opened = (async () => {
    const cwd = await probeShell();
    shellCwd = cwd;
    if (!disposed && !dir) await navigate(cwd ?? '');
  })();

  return {
    el,
    uploadToCwd(files: File[]): void {
      void (async () => {
        // After the first listing, so two navigations do not race (the later one wins and the
        // earlier reports "superseded"); the files go to the shell's folder whatever the view shows.
        await opened;
        const cwd = (await probeShell()) ?? dir;
        if (!cwd || disposed) return;
        shellCwd = cwd;
        if (cwd !== dir) await navigate(cwd);
        if (!disposed) uploadFiles(files, cwd);
      })();
    },
    dispose(): void {
      disposed = true;
      clearInterval(follow);
      list.dispose();
      // Closing the view cancels what is still uploading (the server drops its temp files).
      for (const item of active) {
        item.cancelled = true;
        item.handle?.cancel();
      }
    },
  };
}
