/** Why a ciphertext could not be opened; callers branch on this, never on the message. */
export type DecryptionFailure =
  /** Not a Keel ciphertext at all (wrong shape, bad base64url, wrong lengths). */
  | 'malformed'
  /** A `kvN.` prefix this build does not know (written by a newer Keel?). */
  | 'unsupported_version'
  /** The key id in the ciphertext is not in the key ring (a key was removed too early). */
  | 'unknown_key'
  /** GCM rejected it: tampered bytes, a swapped part, or a different AAD. */
  | 'authentication_failed';

/**
 * An integrity failure while opening stored data. It is deliberately not a KeelError: a
 * ciphertext that does not open is a server-side fault (corruption, tampering, a missing key),
 * not something a client did, so it reaches the error handler as an internal error.
 * Messages never contain key material, plaintext or the ciphertext itself.
 */
export class DecryptionError extends Error {
  override name = 'DecryptionError';

  constructor(
    readonly reason: DecryptionFailure,
    message: string,
    /** The key id named by the ciphertext, when it could be read. */
    readonly keyId?: string,
  ) {
    super(message);
  }
}
