// Why this exists: the renderer is a web page; every IPC message from it is untrusted input.
// This is the one table of channels the preload may invoke, each with a zod schema for its
// arguments, and the check every handler runs first: known channel, sender from the app's
// own origin, arguments valid. Pure, so the rejections are unit-tested without Electron.
import { z } from 'zod';
import { originOf } from './window-policy.js';

/** Channel names. preload/index.cts repeats these literals (a sandboxed preload cannot import). */
export const IPC = {
  getOwnerToken: 'porthole:get-owner-token',
  copyToClipboard: 'porthole:copy-to-clipboard',
  notify: 'porthole:notify',
} as const;
export type IpcChannel = (typeof IPC)[keyof typeof IPC];

/** Longest text the renderer may put on the clipboard in one call. */
export const CLIPBOARD_MAX_CHARS = 1024 * 1024;
export const NOTIFY_TITLE_MAX = 128;
export const NOTIFY_BODY_MAX = 1024;

const ARGS = {
  [IPC.getOwnerToken]: z.tuple([]),
  [IPC.copyToClipboard]: z.tuple([z.string().max(CLIPBOARD_MAX_CHARS)]),
  [IPC.notify]: z.tuple([
    z.strictObject({
      title: z.string().min(1).max(NOTIFY_TITLE_MAX),
      body: z.string().max(NOTIFY_BODY_MAX).optional(),
    }),
  ]),
} satisfies Record<IpcChannel, z.ZodType>;

/** The validated argument tuple of each channel. */
export type IpcArgs = { [C in IpcChannel]: z.infer<(typeof ARGS)[C]> };

/** What each channel resolves to in the renderer. */
export interface IpcResults {
  'porthole:get-owner-token': { token: string; expiresAt: string };
  'porthole:copy-to-clipboard': void;
  'porthole:notify': void;
}

export type IpcHandlers = {
  [C in IpcChannel]: (...args: IpcArgs[C]) => IpcResults[C] | Promise<IpcResults[C]>;
};

export type IpcRejection = 'unknown_channel' | 'foreign_sender' | 'bad_args';

export type IpcCheck =
  | { ok: true; channel: IpcChannel; args: IpcArgs[IpcChannel] }
  | { ok: false; reason: IpcRejection; message: string };

const CHANNELS: ReadonlySet<string> = new Set(Object.values(IPC));

export function isIpcChannel(channel: string): channel is IpcChannel {
  return CHANNELS.has(channel);
}

/**
 * The gate of every handler. `senderUrl` is event.senderFrame?.url (undefined when the frame
 * is gone); it must have exactly the app's origin: no other site, no file:, no about:blank.
 */
export function checkInvoke(channel: string, senderUrl: string | null | undefined, args: readonly unknown[], appOrigin: string): IpcCheck {
  if (!isIpcChannel(channel)) {
    return { ok: false, reason: 'unknown_channel', message: `unknown IPC channel ${JSON.stringify(channel)}` };
  }
  const origin = senderUrl ? originOf(senderUrl) : null;
  if (origin === null || origin !== appOrigin) {
    return { ok: false, reason: 'foreign_sender', message: `IPC ${channel} refused: sender is not ${appOrigin}` };
  }
  const parsed = ARGS[channel].safeParse(args);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return { ok: false, reason: 'bad_args', message: `IPC ${channel} refused: ${first?.message ?? 'invalid arguments'}${where}` };
  }
  return { ok: true, channel, args: parsed.data as IpcArgs[IpcChannel] };
}

/**
 * Runs the handler for a checked call. Kept here so the glue stays one line per channel and
 * the type of each handler's arguments follows the table.
 */
export function dispatch(handlers: IpcHandlers, check: Extract<IpcCheck, { ok: true }>): unknown {
  const fn = handlers[check.channel] as (...a: readonly unknown[]) => unknown;
  return fn(...check.args);
}
