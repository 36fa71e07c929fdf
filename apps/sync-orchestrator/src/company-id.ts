import { Param, ParseUUIDPipe } from '@nestjs/common';

/**
 * The `:companyId` of a company-scoped route. Stands in for `@CompanyId()` of
 * `@talentsync/shared/http` until that lands (its guard answers 404 for a malformed, foreign
 * or unknown id); swap it here, in one place.
 */
export const CompanyId = (): ParameterDecorator => Param('companyId', ParseUUIDPipe);

/** The path every route of this service's HTTP API lives under. */
export const INTEGRATION_PATH = 'companies/:companyId/integrations/talentlms';
