// What the express app needs from the rest of the server: the framework-free ports of
// ../ports.ts plus the app's own settings. server.ts hands in the real SessionManager /
// ShareRegistry / TokenService; routes and tests see only these shapes.
import type { Limits } from '../../../common/flow.js';
import type { Router } from 'express';
import type { HealthResponse, LoginResponse, Viewer } from '../../../common/protocol.js';
import type { SessionsPort, SharesPort } from '../ports.js';
import type { Logger } from '../log.js';
import type { RequestLike } from '../net/client-address.js';
import type { Authenticator } from './principal.js';
import type { EventBus } from './event-bus.js';
import type { AssetSource } from './assets.js';

/** The ports are defined once, framework-free, in ../ports.ts; these names are kept for the routes. */
export type { SessionsPort, SharesPort, ViewerSink as ViewerSinkPort, SessionHandle as SessionHandlePort } from '../ports.js';

export interface ApiContext {
  logger: Logger;
  /** Caps with clear errors (contract section 9); default DEFAULT_LIMITS. */
  limits?: Limits;
  version: string;
  /** Which runtime answers, for /health. */
  runtime: HealthResponse['runtime'];
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
  /** Whether a token id has been revoked: open event streams are re-checked with it. */
  isTokenRevoked?(jti: string): boolean;
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
  /** Who is watching and control requests (contract section 8); absent in embeddings
   *  without a socket layer. */
  sharing?: SharingPort;
}

/** What the routes need from main/server/sharing/ (presence.ts, control.ts). */
export interface SharingPort {
  presence: {
    /** Sockets open through this share link now. */
    countByShare(shareId: string): number;
    list(sessionId: string): Viewer[];
  };
  control: {
    /** request_not_found unless pending on that session. */
    answer(sessionId: string, requestId: string, grant: boolean): void;
    /** Takes a grant back (or denies a pending request); request_not_found otherwise. */
    takeBack(sessionId: string, requestId: string): void;
  };
}
