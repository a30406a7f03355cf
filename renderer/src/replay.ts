// Why: recordings are asciicast v2 files; the owner can download one (fetched with the bearer
// token, handed over as a blob) or replay it here: an xterm of the recorded size fed the
// output events with their timing, with play/pause and restart.
import type { Session } from '../../common/protocol.js';
import type { Api } from './api.js';
import { ApiError } from './api.js';
import { openModal } from './dialog.js';
import { h } from './dom.js';
import { ScaledStage } from './stage.js';
import { createTerminal } from './terminal.js';
import { parseCast, type Cast } from './cast.js';

/** What the player needs of a session: the viewer page knows no more than this. */
export type ReplaySubject = Pick<Session, 'id' | 'name'>;

export async function fetchRecording(api: Api, session: ReplaySubject): Promise<Blob> {
  const res = await api.raw('GET', `/api/sessions/${encodeURIComponent(session.id)}/recording`);
  return res.blob();
}

export async function downloadRecording(api: Api, session: ReplaySubject): Promise<void> {
  const blob = await fetchRecording(api, session);
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: `${safeName(session.name)}.cast`, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'session';
}

export function openReplay(api: Api, session: ReplaySubject): void {
  openPlayer(`Replay “${session.name}”`, 'Loading the recording…', async () => (await fetchRecording(api, session)).text(), (err) =>
    err instanceof ApiError ? err.message : `Cannot replay: ${(err as Error).message}`,
  );
}

/** Replays a .cast file the user picked (nothing leaves the browser). */
export function openReplayFile(file: File): void {
  openPlayer(`Replay “${file.name}”`, 'Reading the file…', () => file.text(), (err) => `Cannot replay ${file.name}: ${(err as Error).message}`);
}

/** A replay dialog: loads the cast text, then plays it; a failure is one line in the dialog. */
function openPlayer(title: string, loading: string, load: () => Promise<string>, describe: (err: unknown) => string): void {
  const m = openModal(title, 'modal-replay');
  const status = h('p', { class: 'muted', role: 'status' }, loading);
  m.body.append(status);
  let stop = (): void => undefined;
  m.onClose(() => stop());
  void (async () => {
    let cast: Cast;
    try {
      cast = parseCast(await load());
    } catch (err) {
      status.textContent = describe(err);
      return;
    }
    status.remove();
    stop = mountPlayer(m.body, cast);
  })();
}

function mountPlayer(parent: HTMLElement, cast: Cast): () => void {
  const stage = new ScaledStage('replay-stage');
  const playBtn = h('button', { type: 'button', class: 'btn primary', 'aria-label': 'Pause' }, 'Pause');
  const restartBtn = h('button', { type: 'button', class: 'btn', 'aria-label': 'Restart' }, 'Restart');
  const progress = h('progress', { max: String(Math.max(cast.duration, 0.001)), value: '0', 'aria-label': 'Replay progress' });
  const clock = h('span', { class: 'muted clock' });
  parent.append(stage.el, h('div', { class: 'replay-controls' }, playBtn, restartBtn, progress, clock));
  const kit = createTerminal(stage.host, { cols: cast.width, rows: cast.height, readOnly: true });
  kit.term.onRender(() => stage.layout());

  let index = 0;
  let position = 0; // seconds of recording shown
  let startedAt = 0; // performance.now() minus position, while playing
  let playing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = false;

  const fmt = (s: number): string => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  const show = (): void => {
    progress.value = Math.min(position, cast.duration);
    clock.textContent = `${fmt(position)} / ${fmt(cast.duration)}`;
  };

  function tick(): void {
    if (!playing || busy) return;
    position = (performance.now() - startedAt) / 1000;
    let chunk = '';
    while (index < cast.events.length && cast.events[index][0] <= position && chunk.length < 256 * 1024) {
      const ev = cast.events[index];
      if (ev[1] === 'r') {
        // The output before the resize is drawn at the old size first.
        if (chunk) break;
        kit.term.resize(ev[2].cols, ev[2].rows);
        stage.layout();
      } else chunk += ev[2];
      index++;
    }
    show();
    if (index >= cast.events.length && !chunk) {
      playing = false;
      playBtn.textContent = 'Play';
      playBtn.setAttribute('aria-label', 'Play');
      return;
    }
    if (chunk) {
      // Wait for xterm to parse before scheduling more: a dense recording cannot flood the page.
      busy = true;
      kit.term.write(chunk, () => {
        busy = false;
        schedule();
      });
    } else schedule();
  }

  function schedule(): void {
    clearTimeout(timer);
    if (!playing) return;
    const next = cast.events[index];
    const wait = next ? Math.max(0, next[0] * 1000 - (performance.now() - startedAt)) : 0;
    timer = setTimeout(tick, Math.min(wait, 250));
  }

  function play(): void {
    if (index >= cast.events.length) restart();
    playing = true;
    startedAt = performance.now() - position * 1000;
    playBtn.textContent = 'Pause';
    playBtn.setAttribute('aria-label', 'Pause');
    tick();
  }

  function pause(): void {
    playing = false;
    clearTimeout(timer);
    playBtn.textContent = 'Play';
    playBtn.setAttribute('aria-label', 'Play');
  }

  function restart(): void {
    kit.term.reset();
    kit.term.resize(cast.width, cast.height);
    index = 0;
    position = 0;
    startedAt = performance.now();
    show();
  }

  playBtn.addEventListener('click', () => (playing ? pause() : play()));
  restartBtn.addEventListener('click', () => {
    restart();
    if (!playing) play();
  });
  play();
  return () => {
    pause();
    stage.dispose();
    kit.dispose();
  };
}
