// serve's options for section 9: --trust-proxy / trustProxy, --no-record, keepRecordings,
// recordingRetention; flags beat config.json; mistakes are one-line UsageErrors.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import { resolveServeOptions, type ServeFlags } from '../../main/server/config.js';
import { parseConfig, type PortholeConfig } from '../../main/server/datadir.js';

const resolveWith = (flags: ServeFlags, config: PortholeConfig = {}) => resolveServeOptions({ flags, env: {}, config, dataDir: '/data' });

describe('section 9 serve options', () => {
  it('trusts no proxy by default; --trust-proxy beats trustProxy in config.json', async () => {
    expect((await resolveWith({})).trustProxy).toBeUndefined();
    expect((await resolveWith({}, { trustProxy: 1 })).trustProxy).toEqual({ kind: 'hops', hops: 1 });
    expect((await resolveWith({ trustProxy: '127.0.0.1' }, { trustProxy: 2 })).trustProxy).toMatchObject({ kind: 'addresses' });
    await expect(resolveWith({ trustProxy: 'my-proxy' })).rejects.toThrow(UsageError);
  });

  it('records by default; --no-record or record:false turns it off; keepRecordings and recordingRetention', async () => {
    expect((await resolveWith({})).record).toBeUndefined();
    expect((await resolveWith({ noRecord: true })).record).toBe(false);
    expect((await resolveWith({}, { record: false })).record).toBe(false);
    const o = await resolveWith({}, { keepRecordings: true, recordingRetention: '7d' });
    expect(o.keepRecordings).toBe(true);
    expect(o.recordingRetentionSeconds).toBe(7 * 86400);
    await expect(resolveWith({}, { recordingRetention: '0s' })).rejects.toThrow(/recordingRetention "0s" in config.json/);
  });

  it('config.json refuses a malformed retention with the field named', () => {
    expect(() => parseConfig('{"recordingRetention":"a week"}', '/data/config.json')).toThrow(/recordingRetention/);
  });
});
