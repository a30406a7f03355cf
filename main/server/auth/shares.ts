// Share links: one token per share, reaching one session in one mode until it expires or is
// revoked. Shares live in memory (sessions do not survive a restart); revocation goes through
// the TokenService, so a revoked link fails verification at once, and listeners let the
// WebSocket layer close that link's open sockets within REVOKE_CLOSE_DEADLINE_MS.
import { PortholeError } from '../../../common/errors.js';
import { DEFAULT_SHARE_EXPIRES_SECONDS, SHARE_EXPIRES_MAX_SECONDS, type Share, type ShareMode } from '../../../common/protocol.js';
import { newId } from '../ids.js';
import type { Logger } from '../log.js';
import { isoFromSeconds, type TokenService } from './tokens.js';

/** Expired shares are swept (and their listeners told) this often. */
export const SHARE_SWEEP_INTERVAL_MS = 1000;

/** Why a share stopped working; every reason means "close its sockets". */
export type ShareEndReason = 'revoked' | 'expired' | 'session_removed';

export interface CreatedShare {
  share: Share;
  token: string;
  /** `${publicOrigin}/s/${sessionId}#${token}`: the token rides in the fragment. */
  url: string;
}

export interface ShareRegistryOptions {
  tokens: TokenService;
  /** The origin links use; a function because the port is known only after listen(). */
  publicOrigin: () => string;
  logger?: Logger;
  /** Seconds since the epoch; injectable for tests. */
  now?: () => number;
}

interface Entry {
  share: Share;
  exp: number;
  /** Creation order, to sort newest first even within one second. */
  seq: number;
}

type Listener<A extends unknown[]> = (...args: A) => void;

export class ShareRegistry {
  private readonly tokens: TokenService;
  private readonly publicOrigin: () => string;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly shares = new Map<string, Entry>();
  private readonly createdListeners = new Set<Listener<[Share]>>();
  private readonly revokedListeners = new Set<Listener<[Share, ShareEndReason]>>();
  private sweeper: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(opts: ShareRegistryOptions) {
    this.tokens = opts.tokens;
    this.publicOrigin = opts.publicOrigin;
    this.logger = opts.logger;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  }

  create(
    sessionId: string,
    mode: ShareMode,
    expiresInSeconds: number = DEFAULT_SHARE_EXPIRES_SECONDS,
    label?: string,
    maxViewers?: number,
  ): CreatedShare {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > SHARE_EXPIRES_MAX_SECONDS) {
      throw new PortholeError('validation_failed', `expiresIn must be 1..${SHARE_EXPIRES_MAX_SECONDS} seconds`);
    }
    this.pruneExpired();
    const id = newId();
    const minted = this.tokens.mintShare(sessionId, mode, expiresInSeconds, id);
    const share: Share = {
      id,
      sessionId,
      mode,
      label: label ?? null,
      expiresAt: minted.expiresAt,
      createdAt: isoFromSeconds(minted.claims.iat),
      maxViewers: maxViewers ?? null,
    };
    this.shares.set(id, { share, exp: minted.claims.exp, seq: this.seq++ });
    this.ensureSweeper();
    const url = `${this.publicOrigin().replace(/\/+$/, '')}/s/${encodeURIComponent(sessionId)}#${minted.token}`;
    this.emit(this.createdListeners, share);
    return { share: { ...share }, token: minted.token, url };
  }

  /** The session's live shares, newest first; never the token. */
  list(sessionId: string): Share[] {
    this.pruneExpired();
    return [...this.shares.values()]
      .filter((e) => e.share.sessionId === sessionId)
      .sort((a, b) => b.seq - a.seq)
      .map((e) => ({ ...e.share }));
  }

  get(id: string): Share | undefined {
    const e = this.shares.get(id);
    if (!e || e.exp <= this.now()) return undefined;
    return { ...e.share };
  }

  /** Revokes the share's token at once; PortholeError share_not_found if there is none. */
  revoke(id: string): Share {
    const e = this.shares.get(id);
    if (!e || e.exp <= this.now()) throw new PortholeError('share_not_found');
    this.end(e, 'revoked');
    return { ...e.share };
  }

  /** Drop (and revoke) every share of a session; call when the session is removed. */
  forgetSession(sessionId: string): Share[] {
    const ended: Share[] = [];
    for (const e of [...this.shares.values()]) {
      if (e.share.sessionId !== sessionId) continue;
      this.end(e, 'session_removed');
      ended.push({ ...e.share });
    }
    return ended;
  }

  onCreated(listener: (share: Share) => void): () => void {
    this.createdListeners.add(listener);
    return () => this.createdListeners.delete(listener);
  }

  /** Told when a share stops working for any reason (revoked, expired, its session
   *  removed): close its sockets with 4403. */
  onRevoked(listener: (share: Share, reason: ShareEndReason) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Drop shares past their expiry (their tokens already fail verification). */
  pruneExpired(): void {
    const now = this.now();
    for (const e of [...this.shares.values()]) {
      if (e.exp <= now) {
        this.shares.delete(e.share.id);
        this.emit(this.revokedListeners, { ...e.share }, 'expired');
      }
    }
    if (this.shares.size === 0) this.stopSweeper();
  }

  get size(): number {
    return this.shares.size;
  }

  dispose(): void {
    this.stopSweeper();
    this.shares.clear();
    this.createdListeners.clear();
    this.revokedListeners.clear();
  }

  private end(e: Entry, reason: ShareEndReason): void {
    this.shares.delete(e.share.id);
    // In memory synchronously; the disk write is for restarts and may finish later.
    this.tokens.revoke(e.share.id, e.exp).catch((err: unknown) => {
      this.logger?.warn('could not persist share revocation', { shareId: e.share.id, error: err instanceof Error ? err : String(err) });
    });
    this.emit(this.revokedListeners, { ...e.share }, reason);
    if (this.shares.size === 0) this.stopSweeper();
  }

  private emit<A extends unknown[]>(listeners: Set<Listener<A>>, ...args: A): void {
    for (const l of [...listeners]) {
      try {
        l(...args);
      } catch (err) {
        this.logger?.error('share listener failed', { error: err instanceof Error ? err : String(err) });
      }
    }
  }

  private ensureSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.pruneExpired(), SHARE_SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
