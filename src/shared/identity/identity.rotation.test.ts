import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/db.js';
import { useIdentityHarness } from '../../../test/support/identity.js';
import { createKeyRing, decryptString, rotateKeys } from '../../kernel/crypto/index.js';
import { createLog } from '../../kernel/log/index.js';
import { identityModule } from './identity.module.js';
import { insertUser } from './users/users.repository.js';

describe.each(testDatabases)('key rotation over identity columns ($kind)', (target) => {
  const h = useIdentityHarness(target);

  it('re-wraps phone numbers, nicknames, refresh tokens and OAuth states under the new key', async () => {
    const { db, secrets } = h.services.ctx;
    const phoneUser = await db.transaction((tx) => insertUser(tx, secrets, { phone: '+821055556666' }));
    const user = await h.user();
    await h.app.inject({
      method: 'PATCH',
      url: '/me/profile',
      headers: user.auth,
      payload: { nickname: 'Haneul' },
    });

    const oldId = secrets.ring.current.id;
    const ring = createKeyRing([
      { id: 'rot2', key: randomBytes(32) },
      ...secrets.ring.keys.map((k) => ({ id: k.id, key: k.key.export() })),
    ]);
    const columns = identityModule.encryptedColumns ?? [];
    expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(
      expect.arrayContaining([
        'users.phone_encrypted',
        'profiles.nickname_encrypted',
        'user_secrets.value_encrypted',
      ]),
    );
    const result = await rotateKeys({ db, ring, columns, log: createLog({ svc: 'test', level: 'silent' }) });
    expect(result.status).toBe('completed');

    const [phone] = await db.query<{ phone_encrypted: string }>(
      'select phone_encrypted from identity.users where id = $1',
      [phoneUser],
    );
    expect(phone?.phone_encrypted.startsWith('kv1.rot2.')).toBe(true);
    expect(decryptString(ring, phone?.phone_encrypted ?? '', phoneUser)).toBe('+821055556666');
    const [profile] = await db.query<{ nickname_encrypted: string }>(
      'select nickname_encrypted from identity.profiles where user_id = $1',
      [user.id],
    );
    expect(decryptString(ring, profile?.nickname_encrypted ?? '', user.id)).toBe('Haneul');
    const stale = await db.query(
      `select 1 from identity.user_secrets where value_encrypted like $1
       union all select 1 from identity.users where phone_encrypted like $1`,
      [`kv1.${oldId}.%`],
    );
    expect(stale).toHaveLength(0);
  });
});
