// The one Server type: `porthole serve`, the desktop app and the tests all build it with
// Server.create(options), listen(), close(), and differ only in options. It owns every
// resource below it (data dir, auth, sessions, HTTP, WebSocket, SSE) and releases them all
// in close(), so a process whose server has closed can exit naturally.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortholeError, UsageError, errorBody, type ErrorCode } from '../../common/errors.js';
import { VERSION } from '../../common/version.js';
import { DEFAULT_LIMITS, DEFAULT_RECORDING_CAP_BYTES, DEFAULT_SCROLLBACK_LINES, type Limits } from '../../common/flow.js';
import type { ServerEvent } from '../../common/protocol.js';
import { BcryptPool } from './auth/bcrypt-pool.js';
import type { PtyPort } from './pty/port.js';
import type { RuntimeInfo } from './runtime.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { PasswordCheck } from './auth/passwords.js';
import { RevocationStore } from './auth/revocations.js';
import { ShareRegistry, type ShareEndReason } from './auth/shares.js';
import { TokenService } from './auth/tokens.js';
import { DataDir } from './datadir.js';
import { checkTlsMaterial } from './tls-check.js';
import { fsRouter } from './fs/router.js';
import { createApp } from './http/app.js';
import { diskAssets, type AssetSource } from './http/assets.js';
import type { ApiContext } from './http/context.js';
import { EventBus } from './http/event-bus.js';
import { createFastPath } from './http/fast-path.js';
import { refuseRequest } from './http/errors.js';
import { jsonBodyReader } from './http/json-body.js';
import { createSessionFor, removeSessionFor } from './http/routes/sessions.js';
import { Authenticator } from './http/principal.js';
import type { SseHub } from './http/sse.js';
import { createLogger, type Logger } from './log.js';
import { MemorySettle } from './memory-settle.js';
import { SessionManager } from './sessions/manager.js';
import { RecordingJanitor } from './sessions/retention.js';
import { ControlRequests } from './sharing/control.js';
import { Presence } from './sharing/presence.js';
import { newId } from './ids.js';
import { WsGateway } from './ws/gateway.js';
import { OriginPolicy } from './ws/origin.js';
import { hostForUrl, isLoopbackName, LinkBase } from './net/links.js';
import { clientAddressOf, TRUST_NONE, type RequestLike, type TrustProxy } from './net/client-address.js';

export interface ServerOptions {
  port: number; // 0 = pick a free port
  host: string; // default 127.0.0.1
  dataDir: string;
  auth: boolean; // false = --no-auth: every request acts as the owner
  password?: string; // PORTHOLE_PASSWORD: hashed at start, never stored
  tls?: { cert: string; key: string }; // file paths
  publicUrl?: string; // origin used in links and accepted as WebSocket Origin
  allowOrigins?: string[];
  allowHosts?: string[]; // --allow-host: more Host names accepted while listening on loopback
  limits?: Partial<Limits>; // caps (config.json maxSessions, ...); default DEFAULT_LIMITS
  scrollback?: number; // default DEFAULT_SCROLLBACK_LINES
  recordingCapBytes?: number; // default DEFAULT_RECORDING_CAP_BYTES
  uploadMaxBytes?: number; // POST /api/fs/upload cap; default DEFAULT_UPLOAD_MAX_BYTES (100 MiB)
  shell?: string | string[]; // a program or argv; default: config.json `shell`, else the OS's login shell (platform/shell.ts)
  rendererDir?: string; // built pages on disk; default dist/renderer (unused when assets is set)
  assets?: AssetSource; // where pages come from: the binary passes its embedded ones
  logger?: Logger;
  /** false = --no-record: sessions write no recording. */
  record?: boolean;
  /** keepRecordings: DELETE /api/sessions/:id leaves the recording on disk. */
  keepRecordings?: boolean;
  /** recordingRetention in seconds: older recordings are deleted at start and daily. */
  recordingRetentionSeconds?: number;
  /** --trust-proxy: whose X-Forwarded-For names the client (default: nobody's). */
  trustProxy?: TrustProxy;
  /** This runtime's PTY (runtime.ts loadRuntime()): the core never picks one itself. */
  pty: PtyPort;
  /** Which runtime answers, for /health (runtime.ts loadRuntime()). */
  runtime: RuntimeInfo;
}

/** The package root: the folder holding package.json, from source (main/server) or dist. */
const PACKAGE_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && basename(dir) !== 'dist') return dir;
    dir = dirname(dir);
  }
  return process.cwd();
})();

/** One line a user can act on, for the listen errors they can cause. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new UsageError(`port ${port} on ${host} is already in use: stop the other server or pass --port N (0 picks a free port)`);
    case 'EACCES':
      return new UsageError(`not allowed to listen on ${host}:${port}: use a port above 1023 with --port N`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new UsageError(`cannot listen on ${host}: it is not an address of this machine; change --host`);
    default:
      return err;
  }
}

/** What a share's sockets are told (their close reason, a stable code) when it stops working. */
const SHARE_END_CLOSE_REASON: Record<ShareEndReason, ErrorCode> = {
  revoked: 'token_revoked',
  expired: 'token_expired',
  session_removed: 'session_not_found',
};

/** The raw answer to a request the HTTP parser refused: 431 for oversized headers, else 400. */
function clientErrorResponse(code: string | undefined): string {
  const tooLarge = code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(
    errorBody(new PortholeError('validation_failed', tooLarge ? 'The request headers are too large' : 'The request could not be parsed as HTTP')),
  );
  return (
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nConnection: close\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

export class Server {
  readonly sessions: SessionManager;
  readonly shares: ShareRegistry;
  readonly tokens: TokenService;
  readonly dataDir: DataDir;
  /** Not readonly: a tunnel's URL becomes publicUrl once it is known (usePublicUrl). */
  private options: ServerOptions;
  private readonly logger: Logger;
  private readonly bus: EventBus;
  private readonly revocations: RevocationStore;
  private readonly limiter = new LoginLimiter();
  private readonly passwords: PasswordCheck;
  private readonly bcryptPool: BcryptPool;
  private readonly gateway: WsGateway;
  readonly presence: Presence;
  /** Control requests; the desktop app answers them from its notifications and tray. */
  readonly control: ControlRequests;
  private readonly sse: SseHub;
  private readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  private readonly tlsMaterial: { cert: Buffer; key: Buffer } | undefined;
  private readonly disposers: Array<() => void> = [];
  private http: HttpServer | undefined;
  private listenUrl: string | undefined;
  private links: LinkBase | undefined;
  private readonly janitor: RecordingJanitor | undefined;
  private originPolicy: OriginPolicy | undefined;
  private closing: Promise<void> | undefined;
  private readonly settle: MemorySettle;

  private constructor(
    options: ServerOptions,
    parts: { dataDir: DataDir; revocations: RevocationStore; passwords: PasswordCheck; bcryptPool: BcryptPool; tls?: { cert: Buffer; key: Buffer } },
  ) {
    this.options = options;
    this.logger = options.logger ?? createLogger();
    this.dataDir = parts.dataDir;
    this.revocations = parts.revocations;
    this.passwords = parts.passwords;
    this.bcryptPool = parts.bcryptPool;
    this.tlsMaterial = parts.tls;
    this.bus = new EventBus(this.logger);
    this.tokens = new TokenService(parts.dataDir.secret, parts.revocations);
    this.shares = new ShareRegistry({ tokens: this.tokens, publicOrigin: () => this.url, logger: this.logger });
    this.sessions = new SessionManager({
      dataDir: parts.dataDir,
      scrollback: options.scrollback ?? DEFAULT_SCROLLBACK_LINES,
      recordingCapBytes: options.recordingCapBytes ?? DEFAULT_RECORDING_CAP_BYTES,
      shell: options.shell, // the manager defaults to the user's login shell
      logger: this.logger,
      record: options.record,
      keepRecordings: options.keepRecordings,
      pty: options.pty,
    });
    this.settle = new MemorySettle({ runtime: options.runtime.name, logger: this.logger, alsoCollect: () => this.sessions.collectGarbage() });
    if (options.recordingRetentionSeconds !== undefined) {
      this.janitor = new RecordingJanitor({
        dir: parts.dataDir.recordingsDir,
        maxAgeMs: options.recordingRetentionSeconds * 1000,
        isLive: (id) => this.sessions.get(id) !== undefined,
        logger: this.logger,
      });
    }
    const auth = new Authenticator({ authRequired: options.auth, verify: (t) => this.tokens.verify(t) });
    const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
    const trust = options.trustProxy ?? TRUST_NONE;
    const clientAddress = (req: RequestLike): string => clientAddressOf(req, trust);
    this.presence = new Presence({ share: (id) => this.shares.get(id), emit: (e) => this.bus.emit(e), newId });
    this.control = new ControlRequests({ presence: this.presence, emit: (e) => this.bus.emit(e), newId });
    this.gateway = new WsGateway({
      auth,
      sessions: this.sessions,
      sharing: { presence: this.presence, control: this.control },
      logger: this.logger,
      clientAddress,
      originPolicy: () => this.requestPolicy(),
      maxSockets: limits.sockets,
    });

    // Wire the event sources into the one bus, and revocations into the socket layer.
    this.disposers.push(
      this.sessions.onEvent((e) => {
        if (e.type === 'session.removed') this.shares.forgetSession(e.sessionId);
        this.bus.emit(e);
      }),
      // Logged by id, never by token: the log tells who shared what, and a leaked log opens nothing.
      this.shares.onCreated((share) => {
        this.logger.info('share created', { shareId: share.id, sessionId: share.sessionId, mode: share.mode, expiresAt: share.expiresAt });
        this.bus.emit({ type: 'share.created', share });
      }),
      this.shares.onRevoked((share, reason) => {
        this.logger.info(reason === 'revoked' ? 'share revoked' : 'share ended', { shareId: share.id, sessionId: share.sessionId, reason });
        this.gateway.closeByJti(share.id, SHARE_END_CLOSE_REASON[reason]);
        this.bus.emit({ type: 'share.revoked', share });
      }),
    );

    const startedAt = Date.now();
    const ctx: ApiContext = {
      logger: this.logger,
      limits,
      version: VERSION,
      runtime: { name: options.runtime.name, version: options.runtime.version },
      startedAt,
      auth,
      sessions: this.sessions,
      shares: this.shares,
      events: this.bus,
      passwordLogin: () => this.passwords.isConfigured(),
      login: (password, ip) => this.login(password, ip),
      revokeToken: async (jti, exp) => {
        const stored = this.tokens.revoke(jti, exp); // in effect at once; on disk when this settles
        this.gateway.closeByJti(jti, 'token_revoked');
        this.sse.closeByJti(jti, 'logged out');
        await stored;
      },
      isTokenRevoked: (jti) => this.tokens.isRevoked(jti),
      baseUrl: (hostHeader) => this.linkOrigin(hostHeader),
      clientAddress,
      assets: options.assets ?? diskAssets(options.rendererDir ?? join(PACKAGE_ROOT, 'dist', 'renderer')),
      fsRouter: fsRouter({ uploadMaxBytes: options.uploadMaxBytes }),
      sharing: { presence: this.presence, control: this.control },
    };
    const { app, sse } = createApp(ctx);
    this.sse = sse;
    const fast = createFastPath({
      version: VERSION,
      runtime: options.runtime,
      startedAt,
      auth,
      logger: this.logger,
      sessions: this.sessions,
      clientAddress,
      eventSeq: () => this.bus.seq,
      writes: { body: jsonBodyReader(), create: (p, body) => createSessionFor(ctx, p, body), remove: (p, id) => removeSessionFor(ctx, p, id) },
    });
    this.handler = (req, res) => {
      // Other sites' pages and rebinding names are refused before anything happens (origin.ts).
      const refused = this.requestPolicy().screen(req.headers);
      if (refused) return refuseRequest(req, res, refused, this.logger, clientAddress(req));
      if (!fast(req, res)) app(req, res);
    };
  }

  /** Opens the data dir and reads TLS files; throws UsageError for what a user can fix. */
  static async create(options: ServerOptions): Promise<Server> {
    const dataDir = await DataDir.open(resolve(options.dataDir));
    const revocations = await RevocationStore.open(dataDir.dir);
    const bcryptPool = new BcryptPool({ onError: (err) => (options.logger ?? createLogger()).warn('password thread failed; checking on the main thread', { error: err instanceof Error ? err : String(err) }) });
    const passwords = await PasswordCheck.create({
      password: options.password,
      readHash: async () => (await dataDir.readConfig()).passwordHash,
      compare: (password, hash) => bcryptPool.compare(password, hash),
    });
    let tls: { cert: Buffer; key: Buffer } | undefined;
    if (options.tls) {
      const read = async (what: string, path: string) => {
        try {
          return await readFile(path);
        } catch (err) {
          throw new UsageError(`cannot read the TLS ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): fix --tls-${what}`);
        }
      };
      tls = { cert: await read('cert', options.tls.cert), key: await read('key', options.tls.key) };
      checkTlsMaterial(tls, options.tls); // a file that is not a PEM cert/key pair is a flag mistake too
    }
    // config.json's `shell` is the user's choice for every Server, the desktop app's included
    // (porthole serve has already put it into options).
    const shell = options.shell ?? (await dataDir.readConfig()).shell;
    return new Server({ ...options, shell }, { dataDir, revocations, passwords, bcryptPool, tls });
  }

  /** The listening http(s) server, once listen() has run: for embedders that add their own
   *  listeners (and the tests that watch upgrades). */
  get httpServer(): HttpServer | undefined {
    return this.http;
  }

  /** The origin links use by default: publicUrl when set, else the listen address (a
   *  wildcard bind replaced by a reachable address of this machine). */
  get url(): string {
    if (this.options.publicUrl) return this.options.publicUrl.replace(/\/+$/, '');
    if (this.links) return this.links.defaultOrigin();
    if (this.listenUrl) return this.listenUrl;
    const scheme = this.options.tls ? 'https' : 'http';
    return `${scheme}://${hostForUrl(this.options.host)}:${this.options.port}`;
  }

  async listen(): Promise<{ url: string; port: number }> {
    if (this.http) throw new Error('Server.listen() called twice');
    if (this.closing) throw new Error('Server is closed');
    const server = this.tlsMaterial
      ? createHttpsServer({ cert: this.tlsMaterial.cert, key: this.tlsMaterial.key }, this.handler)
      : createHttpServer(this.handler);
    server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // A request Node's parser refuses (bad bytes in the request line or a header, a bad
      // length, headers too large) gets the error shape too, never a bare status line.
      if (socket.writable) socket.end(clientErrorResponse(err.code));
      socket.destroy();
    });
    // Shorter than the default so idle keep-alive sockets do not hold shutdown up.
    server.keepAliveTimeout = 5000;
    this.http = server;
    const { host, port } = this.options;
    await new Promise<void>((resolveListen, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        this.http = undefined;
        reject(listenError(err, host, port));
      };
      const onListening = () => {
        server.off('error', onError);
        resolveListen();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host);
    });
    server.on('error', (err) => this.logger.error('http server error', { error: err }));
    const addr = server.address();
    const realPort = typeof addr === 'object' && addr ? addr.port : port;
    const scheme = this.tlsMaterial ? 'https' : 'http';
    const ownUrl = `${scheme}://${hostForUrl(host)}:${realPort}`;
    this.listenUrl = ownUrl;
    this.applyPublicUrl(scheme, realPort);
    this.logger.info('listening', { url: ownUrl });
    await this.janitor?.start();
    // A wildcard bind is reported by an address others can open (contract section 9).
    return { url: `${scheme}://${hostForUrl(this.links!.listenName())}:${realPort}`, port: realPort };
  }

  /**
   * A tunnel's URL, known only after listen (the tunnel needs the port): from now on links
   * are built on it and its Origin and Host are accepted, as if given as --public-url.
   */
  usePublicUrl(origin: string): void {
    if (!this.listenUrl) throw new Error('Server.usePublicUrl() before listen()');
    this.options = { ...this.options, publicUrl: new URL(origin).origin };
    const own = new URL(this.listenUrl);
    this.applyPublicUrl(own.protocol === 'https:' ? 'https' : 'http', Number(own.port));
  }

  private applyPublicUrl(scheme: 'http' | 'https', port: number): void {
    this.originPolicy = this.makePolicy(this.listenUrl!);
    this.links = new LinkBase({
      scheme,
      listenHost: this.options.host,
      port,
      publicUrl: this.options.publicUrl,
      hostAllowed: (h) => this.hostAllowed(h),
    });
  }

  /** The origin of links handed out for a request that came with this Host header. */
  linkOrigin(hostHeader?: string): string {
    return this.links ? this.links.forRequest(hostHeader) : this.url;
  }

  /** True when every link this server prints opens on this machine only (no --public-url,
   *  bound to loopback): serve and the share dialog say so, and what fixes it. */
  linksLocalOnly(): boolean {
    return this.links ? this.links.localOnly() : isLoopbackName(this.options.host);
  }

  /** Other addresses a wildcard bind serves on, for serve's output. */
  otherAddresses(): string[] {
    return this.links?.otherAddresses() ?? [];
  }

  /** Whether a request with this Host may be answered (the gate's Host rule, origin.ts);
   *  links are built only on such hosts. */
  private hostAllowed(hostHeader: string): boolean {
    return this.requestPolicy().allowsHost(hostHeader);
  }

  /** The gate for HTTP and WebSocket alike; known for sure once listening (the real port). */
  private requestPolicy(): OriginPolicy {
    return (this.originPolicy ??= this.makePolicy(this.url));
  }

  private makePolicy(ownUrl: string): OriginPolicy {
    const { publicUrl, allowOrigins, allowHosts } = this.options;
    return new OriginPolicy({ ownUrl, publicUrl, allowOrigins, allowHosts });
  }

  /** `${url}/#token=<owner jwt>`: the Jupyter-style link printed at start. */
  ownerLink(): string {
    return `${this.url}/#token=${this.mintOwnerToken().token}`;
  }

  mintOwnerToken(ttlSeconds?: number): { token: string; expiresAt: string } {
    const m = this.tokens.mintOwner(ttlSeconds);
    return { token: m.token, expiresAt: m.expiresAt };
  }

  onEvent(listener: (e: ServerEvent) => void): () => void {
    return this.bus.on(listener);
  }

  /** Contract shutdown: stop accepting, 1001 to sockets, end sessions, flush, release all. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const http = this.http;
    const closed = http ? new Promise<void>((r) => http.close(() => r())) : Promise.resolve();
    http?.closeIdleConnections();
    // Sockets first, so viewers hear 1001 (server stopping) rather than 1000 (session ended).
    await this.gateway.close();
    this.control.dispose(); // no lapse timer outlives the server
    this.settle.dispose();
    this.sse.close();
    try {
      await this.sessions.closeAll();
    } catch (err) {
      this.logger.error('closing sessions failed', { error: err instanceof Error ? err : String(err) });
    }
    for (const d of this.disposers.splice(0)) d();
    this.shares.dispose();
    await this.janitor?.dispose();
    this.limiter.dispose();
    await this.bcryptPool.close();
    await this.revocations.flush().catch(() => {});
    http?.closeAllConnections();
    await closed;
    this.bus.clear();
    // Only a server that listened says it stopped: after a failed listen (port in use) the
    // CLI's one-line reason must be the only line on stderr (contract section 1).
    if (this.listenUrl) this.logger.info('stopped', {});
  }

  private async login(password: string, ip: string): Promise<{ token: string; expiresAt: string }> {
    // The try is taken now, before the (slow) check: parallel guesses cannot slip past.
    const attempt = this.limiter.begin(ip);
    let ok: boolean;
    try {
      ok = await this.passwords.verify(password);
    } catch (err) {
      attempt.abandoned(); // too busy to check (429) or stopping: not the client's guess
      throw err;
    }
    if (!ok) {
      attempt.failed();
      throw new PortholeError('invalid_credentials');
    }
    attempt.succeeded();
    return this.mintOwnerToken();
  }
}
