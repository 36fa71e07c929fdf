import { scopeFunctionToCompany } from './company-scope';

describe('scopeFunctionToCompany', () => {
  const opening = scopeFunctionToCompany('p_company');

  it("sets the company for the statement's transaction only (is_local), from the parameter", () => {
    expect(opening).toContain(`PERFORM set_config('app.company_id', p_company::text, true);`);
  });

  it('refuses first inside another scope: across companies, or another company', () => {
    const raise = opening.indexOf('RAISE EXCEPTION');
    expect(raise).toBeGreaterThan(-1);
    expect(raise).toBeLessThan(opening.indexOf('PERFORM set_config'));
    expect(opening).toMatch(/current_setting\('app\.across_companies', true\)/);
    expect(opening).toMatch(/<> p_company::text/);
  });
});
