import type { DataSource } from 'typeorm';
import { uniqueViolation } from './unique-violation';

/**
 * The role a service works as (DATABASE_APP_USER): may log in, read and write its schema's
 * tables, and nothing else: not a superuser, not the owner, and NOBYPASSRLS, so the company
 * rule of every table binds it (SPEC 9). Created when missing and granted the schema after the
 * migrations ran, by the owner's connection; replicas doing it at once take turns on a lock.
 */
export async function ensureAppRole(
  owner: DataSource,
  schema: string,
  role: string,
  password?: string,
): Promise<void> {
  await owner.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('talentsync:app-role'))`);
    const [existing] = await tx.query(
      `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`,
      [role],
    );
    if (!existing) {
      try {
        await tx.query(
          `CREATE ROLE "${role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT`,
        );
      } catch (error) {
        // Another database's services may create it at the same moment (roles are per cluster).
        if (!uniqueViolation(error) && (error as { code?: string }).code !== '42710') throw error;
      }
    } else if (existing.rolsuper || existing.rolbypassrls) {
      throw new Error(
        `DATABASE_APP_USER ${role} can bypass row-level security (superuser or BYPASSRLS): ` +
          'give the services a role without it',
      );
    }
    if (password !== undefined) {
      const [{ sql }] = await tx.query(
        `SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS sql`,
        [role, password],
      );
      await tx.query(sql);
    }
    await tx.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
    await tx.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO "${role}"`,
    );
    await tx.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "${schema}" TO "${role}"`);
    // Which migrations ran is the owner's business.
    await tx.query(`REVOKE ALL ON TABLE "${schema}".migrations FROM "${role}"`);
  });
}

/** DATABASE_URL with the app role's name (and password, if any) instead of the owner's. */
export function appRoleUrl(ownerUrl: string, role: string, password?: string): string {
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(role);
  url.password = password === undefined ? '' : encodeURIComponent(password);
  return url.toString();
}
