import { createKeyRing } from '../../src/kernel/crypto/index.js';

/** Fixed test keys: the committed ciphertext vectors were made with them, so never change them. */
export const key1 = Buffer.alloc(32, 0x11);
export const key2 = Buffer.alloc(32, 0x22);
/** Before rotation: k1 only. */
export const ringV1 = createKeyRing([{ id: 'k1', key: key1 }]);
/** After rotation: k2 writes, k1 still reads. */
export const ringV2 = createKeyRing([
  { id: 'k2', key: key2 },
  { id: 'k1', key: key1 },
]);
