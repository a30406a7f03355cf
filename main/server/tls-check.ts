// --tls-cert / --tls-key are files a user picks, so a wrong one is a user mistake: one line that
// names the flag and what is wrong (exit 2), never OpenSSL's "error:1E08010C:DECODER routines::
// unsupported" from deep inside listen() (exit 1). Checked once, at Server.create.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { UsageError } from '../../common/errors.js';

export function checkTlsMaterial(material: { cert: Buffer; key: Buffer }, paths: { cert: string; key: string }): void {
  try {
    createPrivateKey(material.key);
  } catch {
    throw new UsageError(`--tls-key ${paths.key} is not a PEM private key (or it is encrypted): pass the unencrypted key file`);
  }
  try {
    new X509Certificate(material.cert);
  } catch {
    throw new UsageError(`--tls-cert ${paths.cert} is not a PEM certificate: pass the certificate file (BEGIN CERTIFICATE)`);
  }
  try {
    createSecureContext({ cert: material.cert, key: material.key });
  } catch {
    throw new UsageError(`--tls-key ${paths.key} does not belong to --tls-cert ${paths.cert}: pass the key the certificate was made for`);
  }
}
