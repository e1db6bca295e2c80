// Discord's `nonce` with `enforce_nonce`: a retried post with the same nonce returns the first message instead of a
// second one. Discord keeps a nonce for a few minutes and takes at most 25 characters, so the key is hashed.
import { createHash } from 'node:crypto';

export function nonceFor(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 25);
}
