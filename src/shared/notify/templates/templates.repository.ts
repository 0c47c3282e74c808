import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../../../kernel/db/index.js';
import type { Locale, TemplateSource } from './render.js';

const columns = `name, locale, version, subject, text, html, kakao_template_code as "kakaoTemplateCode"`;

/** The newest stored version of each locale of `name`. */
export async function latestTemplates(conn: SqlConnection, name: string): Promise<TemplateSource[]> {
  return conn.query<TemplateSource>(
    `select distinct on (locale) ${columns} from notify.templates where name = $1 order by locale, version desc`,
    [name],
  );
}

export async function templateVersion(
  conn: SqlConnection,
  name: string,
  locale: Locale,
  version: number,
): Promise<TemplateSource | null> {
  const [row] = await conn.query<TemplateSource>(
    `select ${columns} from notify.templates where name = $1 and locale = $2 and version = $3`,
    [name, locale, version],
  );
  return row ?? null;
}

/** Stores the next version of `name` in `locale` (1 for the first). */
export async function insertTemplateVersion(
  conn: SqlConnection,
  input: Omit<TemplateSource, 'version'> & { createdBy: string | null },
): Promise<TemplateSource> {
  const [row] = await conn.query<TemplateSource>(
    `insert into notify.templates (id, name, locale, version, subject, text, html, kakao_template_code, created_by)
     select $1, $2::varchar, $3::varchar, coalesce(max(version), 0) + 1, $4, $5, $6, $7, $8
       from notify.templates where name = $2::varchar and locale = $3::varchar
     returning ${columns}`,
    [
      randomUUID(),
      input.name,
      input.locale,
      input.subject,
      input.text,
      input.html,
      input.kakaoTemplateCode,
      input.createdBy,
    ],
  );
  return row as TemplateSource;
}

export async function listTemplateVersions(
  conn: SqlConnection,
  name?: string,
): Promise<Array<TemplateSource & { createdAt: Date }>> {
  return conn.query(
    `select ${columns}, created_at as "createdAt" from notify.templates
      where ($1::text is null or name = $1) order by name, locale, version desc limit 500`,
    [name ?? null],
  );
}
