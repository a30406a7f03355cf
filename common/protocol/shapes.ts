// The shapes every other message is built from (sessions, shares, viewers, file-system
// entries), each one zod schema whose type is `z.infer` of it, so the server, the CLI and the
// pages cannot drift apart. Schemas of what the server sends are plain (non-strict) objects:
// a client tolerates fields that a newer server adds.
import { z } from 'zod';

export const SESSION_NAME_MAX = 128;
export const COLS_MAX = 1000;
export const ROWS_MAX = 500;
/** Longest share lifetime a caller may ask for: one year. */
export const SHARE_EXPIRES_MAX_SECONDS = 365 * 24 * 3600;
export const DEFAULT_SHARE_EXPIRES_SECONDS = 24 * 3600;
export const DEFAULT_OWNER_TOKEN_SECONDS = 24 * 3600;
/** Bounds of a link's viewer cap (contract section 8). */
export const MAX_VIEWERS_MIN = 1;
export const MAX_VIEWERS_MAX = 1000;

export const cols = z.int().min(1).max(COLS_MAX);
export const rows = z.int().min(1).max(ROWS_MAX);

export const SessionStatusSchema = z.enum(['running', 'exited']);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;
export const ShareModeSchema = z.enum(['view', 'control']);
export type ShareMode = z.infer<typeof ShareModeSchema>;
export const ViewModeSchema = z.enum(['owner', 'view', 'control']);
export type ViewMode = z.infer<typeof ViewModeSchema>;

/** A session as the API reports it (contract section 3). Times are ISO 8601. */
export const SessionSchema = z.object({
  id: z.string(),
  name: z.string(),
  command: z.array(z.string()),
  cwd: z.string(),
  pid: z.number(),
  status: SessionStatusSchema,
  exitCode: z.number().nullable(),
  cols: z.number(),
  rows: z.number(),
  createdAt: z.string(),
  lastOutputAt: z.string().nullable(),
  viewers: z.number(),
});
export type Session = z.infer<typeof SessionSchema>;

/** A session as a share link sees it (contract section 3): no `command`, `cwd` or `pid`, since
 *  arguments can hold secrets and the owner shares a screen, not a process. */
export const SharedSessionSchema = SessionSchema.omit({ command: true, cwd: true, pid: true });
export type SharedSession = z.infer<typeof SharedSessionSchema>;

/** A share link as the server keeps it (never with its token). */
export const ShareSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  mode: ShareModeSchema,
  label: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
  /** Sockets open at once through this link; null = no cap. Absent from older servers. */
  maxViewers: z.number().nullable().default(null),
});
export type Share = z.infer<typeof ShareSchema>;

/** One open socket on a session (contract section 8, presence). */
export const ViewerSchema = z.object({
  /** The socket's id: stable while it is open, never reused. */
  id: z.string(),
  kind: z.enum(['owner', 'share']),
  shareId: z.string().nullable(),
  label: z.string().nullable(),
  mode: ViewModeSchema,
  connectedAt: z.string(),
  lastInputAt: z.string().nullable(),
  /** Extension: this socket's pending control request, or the request its control was
   *  granted by (DELETE it to take control back); null when neither. */
  requestId: z.string().nullable().default(null),
});
export type Viewer = z.infer<typeof ViewerSchema>;

// ---------- file system (/api/fs) ----------

export const EntryTypeSchema = z.enum(['file', 'dir', 'symlink', 'other']);
export type EntryType = z.infer<typeof EntryTypeSchema>;

export const DirEntrySchema = z.object({
  name: z.string(),
  type: EntryTypeSchema,
  size: z.number(),
  mtime: z.string(),
});
export type DirEntry = z.infer<typeof DirEntrySchema>;

export const DirListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  /** Extension (docs/api.md): the upload cap, so a client refuses a too-big file before sending. */
  uploadMaxBytes: z.number().optional(),
  entries: z.array(DirEntrySchema),
});
export type DirListing = z.infer<typeof DirListingSchema>;

/** GET /api/sessions/:id/cwd (extension of Session, docs/api.md): where the session is now. */
export const CurrentCwdSchema = z.object({ cwd: z.string(), source: z.enum(['foreground', 'process', 'start']) });
export type CurrentCwd = z.infer<typeof CurrentCwdSchema>;

export const UploadResponseSchema = z.object({ path: z.string(), size: z.number() });
export type UploadResponse = z.infer<typeof UploadResponseSchema>;

export const MkdirResponseSchema = z.object({ path: z.string() });
export type MkdirResponse = z.infer<typeof MkdirResponseSchema>;
