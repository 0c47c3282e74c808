export { DecryptionError, type DecryptionFailure } from './crypto.errors.js';
export {
  ciphertextPrefix,
  decrypt,
  decryptString,
  encrypt,
  isCiphertext,
  keyIdOf,
  rewrap,
} from './envelope.js';
export { hmacSha256, lookupHash } from './hmac.js';
export {
  createKeyRing,
  hmacKeyFrom,
  KEY_BYTES,
  type KeyMaterial,
  type KeyRing,
  MIN_HMAC_KEY_BYTES,
  parseHmacKey,
  parseKeyRing,
  type RingKey,
} from './keyring.js';
export {
  type ColumnRotationResult,
  type EncryptedColumn,
  EncryptedColumnRegistry,
  type KeyRotationJobDeps,
  keyRotationJob,
  type RotateKeysOptions,
  type RotationResult,
  rotateKeys,
} from './rotation.js';
export {
  loadSecrets,
  SECRET_FILE_NAME,
  type Secrets,
  type SecretsConfig,
  type SecretsSource,
} from './secrets.js';
