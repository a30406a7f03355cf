// WebSocket messages (contract sections 4 and 8), named by direction. Text frames only:
// binary frames are input bytes (client -> server) and output bytes (server -> client).
// Both directions are validated: the server checks what clients send, and the pages and the
// CLI check what the server sends instead of casting it.
import { z } from 'zod';
import { SessionSchema, SharedSessionSchema, ShareModeSchema, ViewModeSchema, ViewerSchema, cols, rows } from './shapes.js';

/** The protocol this build speaks. 1: contract sections 2-4 (no version in `ready`);
 *  2: `ready` carries `protocol` and `features` (section 8). */
export const PROTOCOL_VERSION = 2;

/** What a server can do beyond protocol 1, as `ready.features` lists it. A page shows a
 *  feature only when the server it talks to lists it (an older server lists none). */
export const FEATURES = ['viewer_cap', 'presence', 'request_control', 'replay', 'resume'] as const;
export type Feature = (typeof FEATURES)[number];

/** An output offset (bytes since the session started). Anything else a client sends as
 *  `resumeFrom` (negative, fractional, a string) counts as absent: a redraw, never a refusal. */
const offset = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

// ---------- client -> server ----------

export const WsClientMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('auth'),
    token: z.string().min(1).max(8192),
    resumeFrom: offset.optional().catch(undefined),
  }),
  z.strictObject({ type: z.literal('resize'), cols, rows }),
  z.strictObject({ type: z.literal('ping') }),
  z.strictObject({ type: z.literal('request_control') }),
]);
export type WsClientMessage = z.infer<typeof WsClientMessage>;

// ---------- server -> client ----------

export const WsServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    /** The whole Session for the owner; a share link's socket gets a SharedSession. */
    session: z.union([SessionSchema, SharedSessionSchema]),
    mode: ViewModeSchema,
    /** Absent from a protocol-1 server. */
    protocol: z.number().default(1),
    /** Unknown names from a newer server are kept and ignored. */
    features: z.array(z.string()).default([]),
    /** Output bytes the session had produced up to the end of the redraw that follows (or,
     *  when resumed, up to `resumeFrom`): a client adds the binary bytes it then gets. */
    outputOffset: offset.optional(),
    /** true: the binary frames that follow are exactly the bytes since `resumeFrom`. */
    resumed: z.boolean().optional(),
    /** Extension: the binary bytes of the redraw that follows (0 when resumed), so a client
     *  knows where the redraw ends and its count of live bytes begins. */
    redrawBytes: offset.optional(),
    /** Extension: true when that redraw has the visible rows only (a late join on a long
     *  scrollback, sent before the scrollback is serialized): the whole state, scrollback
     *  included, follows as a `resync` redraw led by a terminal reset (ESC c). */
    scrollbackFollows: z.boolean().optional(),
  }),
  z.object({ type: z.literal('resize'), cols: z.number(), rows: z.number() }),
  z.object({ type: z.literal('title'), title: z.string() }),
  z.object({ type: z.literal('exit'), exitCode: z.number().nullable() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  /** A fresh redraw follows; on resume servers `outputOffset` and `redrawBytes` say where
   *  the client's byte count restarts (as in `ready`). */
  z.object({ type: z.literal('resync'), outputOffset: offset.optional(), redrawBytes: offset.optional() }),
  z.object({ type: z.literal('pong') }),
  /** To this socket alone: its mode changed (control granted, or taken back). */
  z.object({ type: z.literal('mode'), mode: ShareModeSchema }),
  /** To the owner's sockets on the session: a viewer asks for control. */
  z.object({ type: z.literal('control_requested'), requestId: z.string(), viewer: ViewerSchema }),
  /** To the owner's sockets: a request was answered, lapsed or withdrawn (extension). */
  z.object({
    type: z.literal('control_resolved'),
    requestId: z.string(),
    outcome: z.enum(['granted', 'denied', 'lapsed', 'withdrawn']),
  }),
  /** To the asking socket: denied, or unanswered for CONTROL_REQUEST_TTL_MS. */
  z.object({ type: z.literal('control_denied') }),
]);
export type WsServerMessage = z.infer<typeof WsServerMessageSchema>;
/** The name of the schema above as a type, for symmetry with WsClientMessage. */
export type WsServerMessageType = WsServerMessage['type'];
