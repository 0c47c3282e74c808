import type { DeclaredAction, ModuleContext } from '../../../kernel/module/index.js';
import { identityServices } from '../identity.context.js';
import { findUserByUsername } from './users.repository.js';

/**
 * `keel admin create`: the first administrator of a fresh install (there is nobody yet to grant
 * the role over HTTP). With `update`, an existing account gets the new password and the role.
 */
export async function bootstrapAdmin(
  ctx: ModuleContext,
  actions: readonly DeclaredAction[],
  input: { username: string; email?: string; password: string; update: boolean },
): Promise<{ userId: string; created: boolean }> {
  const services = identityServices(ctx);
  await services.rbac.sync(actions);
  const existing = await findUserByUsername(ctx.db, input.username);
  if (existing && !input.update) {
    throw new Error(
      `a user named ${input.username} exists; pass --update to reset its password and make it an admin`,
    );
  }
  const userId =
    existing?.id ??
    (
      await services.users.create(
        { username: input.username, email: input.email ?? null, roles: ['admin'] },
        null,
      )
    ).id;
  await services.passwords.set(userId, input.password);
  if (existing) await services.users.grantRole(userId, 'admin', null);
  return { userId, created: !existing };
}
