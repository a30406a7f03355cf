// The schemas in common/protocol/: one definition, tolerant of an older or newer peer, and
// strict about what a client sends.
import { describe, expect, it } from 'vitest';
import { CLOSE, ERROR_CODES, closeCodeOf } from '../../common/errors.js';
import {
  CreateShareBody,
  PROTOCOL_VERSION,
  ShareListSchema,
  WsClientMessage,
  WsServerMessageSchema,
  type Session,
} from '../../common/protocol.js';

const session: Session = {
  id: 's1', name: 'n', command: ['bash'], cwd: '/', pid: 1, status: 'running', exitCode: null,
  cols: 80, rows: 24, createdAt: '2026-01-01T00:00:00.000Z', lastOutputAt: null, viewers: 0,
};

describe('protocol schemas', () => {
  it('reads a protocol-1 ready (no version, no features) as protocol 1 with no features', () => {
    const r = WsServerMessageSchema.parse({ type: 'ready', session, mode: 'view' });
    expect(r).toMatchObject({ type: 'ready', protocol: 1, features: [] });
  });

  it('keeps the version and features of a newer ready, and unknown fields do not break it', () => {
    const r = WsServerMessageSchema.parse({ type: 'ready', session, mode: 'view', protocol: 9, features: ['resume', 'future'], extra: 1 });
    expect(r).toMatchObject({ protocol: 9, features: ['resume', 'future'] });
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('treats a garbage resumeFrom as absent instead of refusing the auth message', () => {
    for (const bad of [-1, 1.5, '12', null, {}, Number.MAX_SAFE_INTEGER + 2]) {
      const r = WsClientMessage.safeParse({ type: 'auth', token: 't', resumeFrom: bad });
      expect(r.success).toBe(true);
      expect(r.success && r.data.type === 'auth' && r.data.resumeFrom).toBeUndefined();
    }
    const ok = WsClientMessage.parse({ type: 'auth', token: 't', resumeFrom: 1234 });
    expect(ok.type === 'auth' && ok.resumeFrom).toBe(1234);
  });

  it('accepts request_control and rejects unknown client fields', () => {
    expect(WsClientMessage.safeParse({ type: 'request_control' }).success).toBe(true);
    expect(WsClientMessage.safeParse({ type: 'request_control', please: true }).success).toBe(false);
  });

  it('bounds maxViewers to 1..1000 integers', () => {
    for (const n of [1, 1000]) expect(CreateShareBody.safeParse({ mode: 'view', maxViewers: n }).success).toBe(true);
    for (const n of [0, 1001, 2.5, '3']) expect(CreateShareBody.safeParse({ mode: 'view', maxViewers: n }).success).toBe(false);
  });

  it('reads an older server share listing with no cap and no viewer count', () => {
    const [row] = ShareListSchema.parse([{ id: 'a', mode: 'view', label: null, expiresAt: 'x', createdAt: 'y' }]);
    expect(row).toMatchObject({ maxViewers: null, viewers: 0 });
  });

  it('registers invalid_message and closes a full link with 4429', () => {
    expect(ERROR_CODES.invalid_message.status).toBe(400);
    expect(closeCodeOf('link_full')).toBe(4429);
    expect(CLOSE.linkFull).toBe(4429);
    expect(closeCodeOf('forbidden')).toBe(CLOSE.forbidden);
  });
});
