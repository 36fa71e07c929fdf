/** A company token issued by the platform; the signed token itself is never stored. */
export interface CompanyToken {
  companyId: string;
  /** The token's `jti`. */
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** The columns of `company_tokens`, as the queries select them. */
export const TOKEN_COLUMNS = `company_id AS "companyId", id, name, created_at AS "createdAt",
  expires_at AS "expiresAt", revoked_at AS "revokedAt"`;
