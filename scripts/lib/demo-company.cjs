// `npm start`'s demo company: one company, "Demo", connected to the simulator's portal, so the
// README's walk-through has a company to work in. Idempotent: a second start finds it by name
// (GET /companies) and leaves its integration as it is; each start issues a fresh company token
// (a token is shown only once).
'use strict';

const DEMO = { name: 'Demo', ownerEmail: 'owner@demo.example', adminEmails: [] };
const PAGE_SIZE = 200;

/** JSON from a service; throws naming the call on anything but the expected status. */
async function call(base, token, method, path, body, expected) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (expected !== undefined && !expected.includes(response.status)) {
    throw new Error(`${method} ${path} answered ${response.status} ${parsed?.message ?? ''}`);
  }
  return { status: response.status, body: parsed };
}

/** The company named `name` (not deleted), or undefined. */
async function findCompany(hrUrl, token, name) {
  for (let page = 1; ; page += 1) {
    const { body } = await call(
      hrUrl,
      token,
      'GET',
      `/companies?page=${page}&pageSize=${PAGE_SIZE}`,
      undefined,
      [200],
    );
    const found = body.items.find((c) => c.name === name);
    if (found) return found;
    if (body.items.length < PAGE_SIZE) return undefined;
  }
}

/**
 * Makes sure the demo company exists with an integration on `portal`; resolves its id, whether
 * it was made now, and a new company token.
 *   urls: { hr, orchestrator }  token: the platform token  portal: { url, apiKey }
 */
async function ensureDemoCompany({ urls, token, portal }) {
  let company = await findCompany(urls.hr, token, DEMO.name);
  const created = !company;
  if (!company) company = (await call(urls.hr, token, 'POST', '/companies', DEMO, [201])).body;
  const integration = `/companies/${company.id}/integrations/talentlms`;
  const current = await call(urls.orchestrator, token, 'GET', integration, undefined, [200, 404]);
  if (current.status === 404) {
    // The first save verifies the portal and starts the initial sync of the demo people.
    await call(
      urls.orchestrator,
      token,
      'PUT',
      integration,
      {
        portalUrl: portal.url,
        apiKey: portal.apiKey,
        branch: 'all',
        direction: 'two-way',
        automaticSync: true,
      },
      [200],
    );
  }
  const issued = await call(
    urls.hr,
    token,
    'POST',
    `/companies/${company.id}/tokens`,
    { name: `npm start ${new Date().toISOString().slice(0, 16)}`, expiresIn: '30d' },
    [201],
  );
  return { id: company.id, created, companyToken: issued.body.token };
}

module.exports = { ensureDemoCompany, DEMO };
