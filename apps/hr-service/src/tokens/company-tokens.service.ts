import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isCompanyId, NotFoundError } from '@talentsync/contracts';
import { APP_ENV } from '@talentsync/shared/config';
import { companyTransaction } from '@talentsync/shared/database';
import {
  COMPANY_DIRECTORY,
  CompanyDirectory,
  signCompanyToken,
  TokenStatus,
} from '@talentsync/shared/http';
import { CompanyToken, TOKEN_COLUMNS } from './company-token';
import { DEFAULT_TOKEN_LIFETIME, IssueTokenDto, tokenLifetimeMs } from './tokens.dto';

/**
 * An unknown, malformed or another company's token id: one answer, the AppError body every
 * other 404 has (`{statusCode, error: 'NOT_FOUND', message, retryable}`).
 */
const tokenNotFound = (tokenId: string) => new NotFoundError('Token', tokenId);

/**
 * The platform issues, lists and revokes a company's tokens; every service asks (through
 * TOKEN_STATUS: this class in hr-service, `hr.tokens.status` elsewhere) whether one is good.
 */
@Injectable()
export class CompanyTokensService implements TokenStatus {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_ENV) private readonly env: { tokenSigningKey: string },
    // The companies module's; optional so the service boots without it, refusing tokens.
    @Optional() @Inject(COMPANY_DIRECTORY) private readonly directory?: CompanyDirectory,
  ) {}

  /** A new token, signed; the caller shows it once. Expiry in whole seconds, as in the JWT. */
  async issue(
    companyId: string,
    request: IssueTokenDto,
  ): Promise<{ row: CompanyToken; token: string }> {
    const lifetimeMs = tokenLifetimeMs(request.expiresIn ?? DEFAULT_TOKEN_LIFETIME) as number;
    const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const row: CompanyToken = {
      companyId,
      id: randomUUID(),
      name: request.name,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + lifetimeMs),
      revokedAt: null,
    };
    await companyTransaction(this.dataSource, companyId, (manager) =>
      manager.query(
        `INSERT INTO company_tokens (company_id, id, name, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [row.companyId, row.id, row.name, row.createdAt, row.expiresAt],
      ),
    );
    const token = await signCompanyToken(
      { companyId, tokenId: row.id, expiresAt: row.expiresAt },
      this.env.tokenSigningKey,
    );
    return { row, token };
  }

  /** Newest first, revoked and expired ones included (with their dates). */
  list(companyId: string, page: { skip: number; take: number }): Promise<[CompanyToken[], number]> {
    return companyTransaction(this.dataSource, companyId, async (manager) => {
      const rows: CompanyToken[] = await manager.query(
        `SELECT ${TOKEN_COLUMNS} FROM company_tokens WHERE company_id = $1
          ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
        [companyId, page.take, page.skip],
      );
      const [{ total }] = await manager.query(
        `SELECT count(*)::int AS total FROM company_tokens WHERE company_id = $1`,
        [companyId],
      );
      return [rows, total as number];
    });
  }

  /** Revokes at once (hr-service asks the table on every request); again is a no-op. */
  async revoke(companyId: string, tokenId: string): Promise<void> {
    if (!isCompanyId(tokenId)) throw tokenNotFound(tokenId);
    const found = await companyTransaction(this.dataSource, companyId, async (manager) => {
      // As a SELECT: TypeORM answers an UPDATE with [rows, count], a SELECT with the rows.
      const rows: unknown[] = await manager.query(
        `WITH revoked AS (
           UPDATE company_tokens SET revoked_at = coalesce(revoked_at, now())
            WHERE company_id = $1 AND id = $2 RETURNING id)
         SELECT id FROM revoked`,
        [companyId, tokenId],
      );
      return rows.length > 0;
    });
    if (!found) throw tokenNotFound(tokenId);
  }

  /**
   * TOKEN_STATUS: the token is the company's, not revoked, not expired (the database's clock),
   * and the company is not deleted.
   */
  async isActive(companyId: string, tokenId: string): Promise<boolean> {
    if (!isCompanyId(companyId) || !isCompanyId(tokenId)) return false;
    const rows: unknown[] = await companyTransaction(this.dataSource, companyId, (manager) =>
      manager.query(
        `SELECT 1 FROM company_tokens
          WHERE company_id = $1 AND id = $2 AND revoked_at IS NULL AND expires_at > now()`,
        [companyId, tokenId],
      ),
    );
    if (!this.directory) throw new Error('COMPANY_DIRECTORY is not provided');
    return rows.length > 0 && (await this.directory.exists(companyId));
  }
}
