// Recordings (recording.ts, contract section 6): a well-formed asciicast v2 file of the output
// only (typed input never lands on disk, in the HTTP answer or in the log), whole UTF-8 text
// even when a character straddles two output batches, and a size cap that stops the recording
// with a marker while the session and its viewers go on.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { createLogger } from '../../main/server/log.js';
import { RECORDING_CAP_MARKER } from '../../main/server/sessions/recording.js';
import { connectWs, startServer, type TestServer } from '../helpers/server.js';

type CastEvent = [number, string, string];

interface Cast {
  header: { version: number; width: number; height: number; timestamp: number; env?: Record<string, string> };
  events: CastEvent[];
  raw: string;
}

function parseCast(raw: string): Cast {
  expect(raw.endsWith('\n')).toBe(true); // newline-delimited: every event is a whole line
  const lines = raw.slice(0, -1).split('\n');
  return { header: JSON.parse(lines[0]) as Cast['header'], events: lines.slice(1).map((l) => JSON.parse(l) as CastEvent), raw };
}

async function fetchCast(ts: TestServer, id: string): Promise<Cast> {
  const res = await ts.api(`/api/sessions/${id}/recording`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/x-asciicast');
  return parseCast(await res.text());
}

async function waitExited(ts: TestServer, id: string, timeout = 10_000): Promise<Session> {
  await expect.poll(async () => (await ts.json<Session>(`/api/sessions/${id}`)).body.status, { timeout }).toBe('exited');
  return (await ts.json<Session>(`/api/sessions/${id}`)).body;
}

const output = (c: Cast): string => c.events.filter((e) => e[1] === 'o').map((e) => e[2]).join('');

describe('session recordings', () => {
  it('writes asciicast v2: header, timed output and resize events, whole UTF-8, same on disk and over HTTP', async () => {
    const ts = await startServer();
    // 60,000 lines of 3- and 2-byte characters: batches end at arbitrary bytes, so many split one.
    const script = String.raw`printf 'hello \033[31mred\033[0m\n'; sleep 0.3; yes 'é漢字ü' | head -n 60000; read x; echo "bye $x"`;
    const createdAt = Date.now();
    const s = await ts.createSession({ command: ['sh', '-c', script], cols: 91, rows: 29 });
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    await expect.poll(async () => output(await fetchCast(ts, s.id)).split('\n').length, { timeout: 10_000 }).toBeGreaterThan(60_001);
    expect((await ts.api(`/api/sessions/${s.id}/resize`, { body: { cols: 100, rows: 30 } })).status).toBe(204);
    sock.ws.send(Buffer.from('x\n'));
    const done = await waitExited(ts, s.id);
    expect(done.exitCode).toBe(0);

    const cast = await fetchCast(ts, s.id);
    expect(cast.header).toMatchObject({ version: 2, width: 91, height: 29, env: { TERM: 'xterm-256color' } });
    expect(Math.abs(cast.header.timestamp - Date.now() / 1000)).toBeLessThan(60);
    for (const e of cast.events) {
      expect(e).toHaveLength(3);
      expect(typeof e[0]).toBe('number');
      expect(['o', 'r']).toContain(e[1]);
      expect(typeof e[2]).toBe('string');
    }
    const times = cast.events.map((e) => e[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(0);
    // The 0.3 s sleep shows in the timing. Bounds that load cannot break (it only delays reads):
    // the recording starts before the child, so the flood, printed 0.3 s after the child
    // began, is stamped at 0.3 s or later; and no stamp is later than the time that has passed.
    const flood = cast.events.find((e) => e[2].includes('é'));
    expect(flood![0]).toBeGreaterThanOrEqual(0.3);
    expect(times.at(-1)!).toBeLessThanOrEqual((Date.now() - createdAt) / 1000 + 0.001);

    const text = output(cast);
    const echo = 'x\r\n'; // the tty echoes what was typed: output, so it is recorded
    expect(text).toBe(`hello \x1b[31mred\x1b[0m\r\n${'é漢字ü\r\n'.repeat(60_000)}${echo}bye x\r\n`);
    expect(text).not.toContain('\ufffd');
    expect(cast.events.filter((e) => e[1] === 'r')).toEqual([[expect.any(Number), 'r', '100x30']]);
    // A broken UTF-8 sequence at a batch edge would show up here, split over two events.
    expect(cast.events.filter((e) => e[1] === 'o').length).toBeGreaterThan(2);

    const file = join(ts.dataDir, 'recordings', `${s.id}.cast`);
    expect(await readFile(file, 'utf8')).toBe(cast.raw);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  }, 30_000);

  it('never records or logs typed input, over the socket or over HTTP', async () => {
    const log: string[] = [];
    const ts = await startServer({ logger: createLogger({ level: 'debug', write: (l) => log.push(l) }) });
    const secrets = ['hunter2-via-websocket', 'correct-horse-via-http'];
    const s = await ts.createSession({ command: ['sh', '-c', 'stty -echo; printf "secret> "; read a; read b; echo "done ${#a} ${#b}"'] });
    const sock = connectWs(ts, s.id);
    await sock.waitForOutput('secret> '); // echo is off from here: typed before, the tty would echo it
    sock.ws.send(Buffer.from(`${secrets[0]}\n`));
    expect((await ts.api(`/api/sessions/${s.id}/input`, { body: { data: `${secrets[1]}\n` } })).status).toBe(204);
    // The shell really read both (their lengths prove it) and printed only that.
    await sock.waitForOutput(`done ${secrets[0].length} ${secrets[1].length}`);
    await waitExited(ts, s.id);

    const res = await ts.api(`/api/sessions/${s.id}/recording`);
    const body = await res.text();
    const disk = await readFile(join(ts.dataDir, 'recordings', `${s.id}.cast`), 'utf8');
    expect(body).toBe(disk);
    expect(body).toContain('done ');
    for (const secret of secrets) {
      expect(body).not.toContain(secret);
      expect(disk).not.toContain(secret);
      expect(log.join('\n')).not.toContain(secret);
      expect(sock.outputText).not.toContain(secret);
    }
    expect(log.length).toBeGreaterThan(0); // the logger was in use: its silence above means something
  });

  it('answers GET /recording at once while small writes are still on their way to disk', async () => {
    const ts = await startServer();
    // A trickle of small output: the request's flush often finds a write in flight, and none of
    // them is big enough to make the file stream emit 'drain'.
    const s = await ts.createSession({ command: ['sh', '-c', 'while :; do echo tick; sleep 0.002; done'] });
    for (let i = 0; i < 20; i++) {
      const timeout = new Promise<string>((r) => setTimeout(() => r('timed out'), 3000).unref());
      const body = await Promise.race([ts.api(`/api/sessions/${s.id}/recording`).then((r) => r.text()), timeout]);
      expect(body, `request ${i}`).toMatch(/^\{"version":2/);
      await new Promise((r) => setTimeout(r, 15));
    }
  });

  it('stops at the cap with one marker event, while the session and its viewers go on', async () => {
    const cap = 16_384;
    const ts = await startServer({ recordingCapBytes: cap });
    // Ten ~5 KB bursts: an event that would cross the cap is dropped whole, so the bursts must be
    // smaller than the cap for anything to be recorded before the marker.
    const bursts = 'for i in 1 2 3 4 5 6 7 8 9 10; do seq $((i*1000-999)) $((i*1000)); sleep 0.05; done';
    const s = await ts.createSession({ command: ['sh', '-c', `${bursts}; read x; echo "still running $x"; read y; exit 3`] });
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    await expect.poll(async () => (await ts.api(`/api/sessions/${s.id}/snapshot`)).text(), { timeout: 10_000 }).toContain('10000');

    const cast = await fetchCast(ts, s.id);
    const markers = cast.events.filter((e) => e[1] === 'm');
    expect(markers).toEqual([[expect.any(Number), 'm', RECORDING_CAP_MARKER]]);
    expect(cast.events.at(-1)![1]).toBe('m');
    const markerLine = JSON.stringify(cast.events.at(-1)) + '\n';
    expect(Buffer.byteLength(cast.raw)).toBeLessThanOrEqual(cap + Buffer.byteLength(markerLine));
    expect(Buffer.byteLength(cast.raw)).toBeGreaterThan(cap / 2);
    // What was recorded is the start of the output, cut at an event boundary.
    const full = Array.from({ length: 10_000 }, (_, i) => `${i + 1}\r\n`).join('');
    const recorded = output(cast);
    expect(recorded.length).toBeGreaterThan(0);
    expect(full.startsWith(recorded)).toBe(true);
    expect(recorded.length).toBeLessThan(full.length);

    // The session keeps running and its viewers keep getting output, live and on joining.
    sock.ws.send(Buffer.from('typed\n'));
    await sock.waitForOutput('still running typed');
    const late = connectWs(ts, s.id);
    await late.waitForOutput('still running typed');
    expect((await ts.json<Session>(`/api/sessions/${s.id}`)).body.status).toBe('running');
    sock.ws.send(Buffer.from('\n'));
    expect((await sock.closed).code).toBe(1000);
    expect(sock.texts.find((m) => m.type === 'exit')).toEqual({ type: 'exit', exitCode: 3 });

    // Nothing was appended after the marker, not even at exit.
    const after = await fetchCast(ts, s.id);
    expect(after.raw).toBe(cast.raw);
    expect(await readFile(join(ts.dataDir, 'recordings', `${s.id}.cast`), 'utf8')).toBe(cast.raw);
  });
});
