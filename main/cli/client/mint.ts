// Mints the short-lived owner token a client command presents, with the server's own
// TokenService and the data dir's secret, so the claims are exactly what the server verifies.
import { RevocationStore } from '../../server/auth/revocations.js';
import { TokenService } from '../../server/auth/tokens.js';

export function mintOwnerToken(secret: Buffer, ttlSeconds: number): string {
  // Minting never consults revocations; an in-memory store satisfies the constructor.
  return new TokenService(secret, RevocationStore.memory()).mintOwner(ttlSeconds).token;
}
