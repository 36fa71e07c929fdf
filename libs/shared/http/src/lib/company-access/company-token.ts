import { errors, jwtVerify, SignJWT } from 'jose';
import { isCompanyId } from '@talentsync/contracts';

export const TOKEN_ISSUER = 'talentsync';
export const TOKEN_AUDIENCE = 'talentsync-api';
const ALGORITHM = 'HS256';

export interface CompanyTokenClaims {
  companyId: string;
  /** The token's row in hr-service (`jti`): what a revocation marks. */
  tokenId: string;
  expiresAt: Date;
}

/** A token that is not one of ours, or no longer valid; says why without echoing it. */
export class InvalidCompanyTokenError extends Error {
  constructor(reason: string) {
    super(`Invalid company token: ${reason}`);
    this.name = 'InvalidCompanyTokenError';
  }
}

const keyOf = (key: string) => new TextEncoder().encode(key);

/** A company token: an HS256 JWT, `sub` the company, `jti` the token id, `exp` its expiry. */
export function signCompanyToken(claims: CompanyTokenClaims, key: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(claims.companyId)
    .setJti(claims.tokenId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(keyOf(key));
}

/**
 * The company and token id of a token we signed, or InvalidCompanyTokenError: another
 * algorithm (`none`, RS256 confusion), another issuer or audience, expired, or malformed.
 * Whether the token was revoked is the TOKEN_STATUS port's question, not this one's.
 */
export async function verifyCompanyToken(token: string, key: string): Promise<CompanyTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, keyOf(key), {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'jti', 'exp'],
    });
    const { sub, jti, exp } = payload;
    if (!isCompanyId(sub) || !isCompanyId(jti) || typeof exp !== 'number') {
      throw new InvalidCompanyTokenError('claims are not ids');
    }
    return { companyId: sub, tokenId: jti, expiresAt: new Date(exp * 1000) };
  } catch (error) {
    if (error instanceof InvalidCompanyTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidCompanyTokenError('expired');
    if (error instanceof errors.JOSEError) throw new InvalidCompanyTokenError(error.code);
    throw new InvalidCompanyTokenError('malformed');
  }
}
