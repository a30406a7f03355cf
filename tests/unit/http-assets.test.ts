// assetPath() decides which request paths may reach a renderer file; memoryAssets() loads each
// embedded file once, and tries again after a failed load.
import { describe, expect, it } from 'vitest';
import { assetPath, memoryAssets } from '../../main/server/http/assets.js';

describe('assetPath', () => {
  it('maps a request path to a relative file path', () => {
    expect(assetPath('/assets/index-1.js')).toBe('assets/index-1.js');
    expect(assetPath('/favicon.svg')).toBe('favicon.svg');
    expect(assetPath('/assets/a%20b.js')).toBe('assets/a b.js');
  });

  it('refuses what must not reach a file', () => {
    for (const bad of ['/', '/assets/', '/../x', '/assets/..%2f..%2fsecret', '/.env', '/assets/.hidden', '//x', '/a\\b', '/a%5c..%5cb', '/x%00', '/%E0%A4%A', 'assets/x']) {
      expect(assetPath(bad), bad).toBeUndefined();
    }
  });
});

describe('memoryAssets', () => {
  it('loads each file once, on first use, and retries a failed load', async () => {
    let calls = 0;
    let fail = true;
    const src = memoryAssets(
      new Map<string, Uint8Array | (() => Promise<Uint8Array>)>([
        ['a.js', new Uint8Array([1])],
        [
          'b.js',
          async () => {
            calls++;
            if (fail) throw new Error('not yet');
            return new Uint8Array([2]);
          },
        ],
      ]),
    );
    expect(await src.read('a.js')).toEqual(new Uint8Array([1]));
    expect(await src.read('missing.js')).toBeUndefined();
    await expect(src.read('b.js')).rejects.toThrow('not yet');
    fail = false;
    expect(await src.read('b.js')).toEqual(new Uint8Array([2]));
    expect(await src.read('b.js')).toEqual(new Uint8Array([2]));
    expect(calls).toBe(2);
  });
});
