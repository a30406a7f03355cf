// newId (ids.ts): url-safe, long enough for the contract, and never with a leading '-' (the CLI
// would parse `porthole revoke -Xy…` as flags: CI failed on a share id that began with one).
import { describe, expect, it } from 'vitest';
import { ID_PATTERN, newId } from '../../main/server/ids.js';

describe('newId', () => {
  it('draws 22-character base64url ids, none starting with -, all distinct', () => {
    // With the old ids, 1 in 64 began with '-': 20,000 draws without one has odds of e^-312.
    const ids = Array.from({ length: 20_000 }, newId);
    for (const id of ids) {
      expect(id).toMatch(ID_PATTERN);
      expect(id).toHaveLength(22);
    }
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // Every other base64url character still appears first, '_' included.
    expect(new Set(ids.map((id) => id[0])).size).toBe(63);
  });
});
