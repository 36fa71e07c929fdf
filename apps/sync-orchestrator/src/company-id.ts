export { CompanyId } from '@talentsync/shared/http';

/** The path every route of this service's HTTP API lives under. */
export const INTEGRATION_PATH = 'companies/:companyId/integrations/talentlms';
