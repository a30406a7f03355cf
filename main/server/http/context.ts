// What the HTTP and WebSocket layers need from the rest of the server, as narrow structural
// ports. server.ts hands in the real SessionManager / ShareRegistry / TokenService; routes
// and tests see only these shapes, so the wire layer does not depend on their internals.
import type { Router } from 'express';
import type { CreateSessionBody, LoginResponse, Session, Share, ShareMode, WsServerMessage } from '../../../common/protocol.js';
import type { Logger } from '../log.js';
import type { RequestLike } from '../net/client-address.js';
import type { Authenticator } from './principal.js';
import type { EventBus } from './event-bus.js';
import type { AssetSource } from './assets.js';

/** What the ws layer hands a session for one socket (docs/architecture.md). */
export interface ViewerSinkPort {
  readonly bufferedAmount: number;
  sendBinary(chunk: Uint8Array): void;
  sendText(msg: WsServerMessage): void;
  close(code: number, reason: string): void;
}

export interface SessionHandlePort {
  readonly id: string;
  info(): Session;
  attach(sink: ViewerSinkPort): { detach(): void };
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  snapshot(): Promise<string>;
  recordingPath(): string;
  /** Resolves once all output so far is in the recording file. */
  flushRecording?(): Promise<void>;
}

export interface SessionsPort {
  create(body: CreateSessionBody): Promise<Session>;
  get(id: string): SessionHandlePort | undefined;
  list(): Session[];
  rename(id: string, name: string): Session;
  remove(id: string): Promise<void>;
  counts(): { running: number; exited: number };
}

export interface SharesPort {
  create(sessionId: string, mode: ShareMode, expiresIn: number, label?: string, maxViewers?: number): { share: Share; token: string; url?: string };
  list(sessionId: string): Share[];
  revoke(id: string): Share | Promise<Share>;
}

export interface ApiContext {
  logger: Logger;
  version: string;
  /** performance.now()-free: Date.now() at start, for uptimeSeconds. */
  startedAt: number;
  auth: Authenticator;
  sessions: SessionsPort;
  shares: SharesPort;
  events: EventBus;
  /** Whether POST /api/auth/login can succeed (a password is configured). */
  passwordLogin(): Promise<boolean>;
  /** Checks the password with the per-IP limiter; throws invalid_credentials / rate_limited. */
  login(password: string, ip: string): Promise<LoginResponse>;
  /** Logout: revoke the token for good (persisted) and close its sockets. */
  revokeToken(jti: string, exp: number): Promise<void>;
  /** The origin links are built on (contract section 9): publicUrl when set, else the
   *  request's Host when allowed, else the listen address (never 0.0.0.0). */
  baseUrl(hostHeader?: string): string;
  /** The client's address (the socket peer, or X-Forwarded-For from trusted hops): the
   *  login limiter and the logs use it. */
  clientAddress?(req: RequestLike): string;
  /** The built renderer (index.html + assets/), or undefined to use the built-in page. */
  assets?: AssetSource;
  /** The /api/fs router (mounted owner-only, before the JSON parser: uploads are raw). */
  fsRouter?: Router;
  /** Who is watching (contract section 8); absent in embeddings without a socket layer. */
  presence?: PresencePort;
}

/** What the routes need from the presence registry (main/server/sharing/presence.ts). */
export interface PresencePort {
  /** Sockets open through this share link now. */
  countByShare(shareId: string): number;
}
