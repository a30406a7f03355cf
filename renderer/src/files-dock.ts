// Why: the session view's door to the Files view, kept apart so sessionview.ts stays about the
// terminal. It owns the toolbar's Files button and the drop target on the terminal (files
// dropped there go to the shell's current folder), and loads files.js only when first needed,
// so the panel's first screen does not pay for it.
import { Api } from './api.js';
import { h } from './dom.js';
import type { FilesView } from './files.js';

export interface FilesDock {
  button: HTMLButtonElement;
  dispose(): void;
}

export function attachFilesDock(body: HTMLElement, termBox: HTMLElement, sessionId: string, token: () => string | null, onAuthLost: () => void, onLayout: () => void): FilesDock {
  let view: FilesView | null = null;
  let loading: Promise<FilesView> | null = null;
  let disposed = false;

  const button = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false', 'aria-label': 'Files in the session’s folder', title: 'Files in the session’s folder', onclick: () => (view ? close() : void open()) }, 'Files');

  function open(): Promise<FilesView> {
    loading ??= import('./files.js').then(({ openFilesView }) => {
      const v = openFilesView({ api: new Api(token), sessionId, onAuthLost, onClose: close });
      if (disposed) {
        v.dispose();
        return v;
      }
      view = v;
      body.append(v.el);
      button.setAttribute('aria-pressed', 'true');
      onLayout();
      return v;
    });
    return loading;
  }

  function close(): void {
    view?.dispose();
    view?.el.remove();
    view = null;
    loading = null;
    button.setAttribute('aria-pressed', 'false');
    onLayout();
  }

  const hasFiles = (ev: DragEvent): boolean => Array.from(ev.dataTransfer?.types ?? []).includes('Files');
  const onDragOver = (ev: DragEvent): void => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
    termBox.classList.add('dragging');
  };
  const onDragLeave = (): void => termBox.classList.remove('dragging');
  const onDrop = (ev: DragEvent): void => {
    termBox.classList.remove('dragging');
    const files = Array.from(ev.dataTransfer?.files ?? []);
    if (!files.length) return;
    ev.preventDefault();
    ev.stopPropagation();
    void open().then((v) => v.uploadToCwd(files));
  };
  termBox.addEventListener('dragover', onDragOver);
  termBox.addEventListener('dragleave', onDragLeave);
  termBox.addEventListener('drop', onDrop, true);

  return {
    button,
    dispose(): void {
      disposed = true;
      termBox.removeEventListener('dragover', onDragOver);
      termBox.removeEventListener('dragleave', onDragLeave);
      termBox.removeEventListener('drop', onDrop, true);
      view?.dispose();
      view = null;
    },
  };
}
