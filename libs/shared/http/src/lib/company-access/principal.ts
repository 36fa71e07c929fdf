import type { Request } from 'express';

/** Who is calling: the platform (API_TOKEN, any company) or one company (its token). */
export type Principal =
  { kind: 'platform' } | { kind: 'company'; companyId: string; tokenId: string };

/** A request the bearer guard has let in: it always carries its principal. */
export interface AuthenticatedRequest extends Request {
  principal: Principal;
}
