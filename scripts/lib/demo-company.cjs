// `npm start`'s demo company: one company, "Demo", connected to a portal of its own on the
// simulator (`demo`, as every company has its own), so the README's walk-through has a company
// to work in. Idempotent: a second start finds it by name (GET /companies) and leaves its
// integration as it is unless it points elsewhere; each start issues a fresh company token (a
// token is shown only once).
'use strict';

const DEMO = { name: 'Demo', ownerEmail: 'owner@demo.example', adminEmails: [] };
/** The demo company's portal on the simulator; the key is a development one, like SIM_API_KEY. */
const DEMO_PORTAL = { name: 'demo', apiKey: 'demo-portal-api-key-00000000000000' };
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
 * The demo portal on the simulator at `simUrl`, made from `seed` when the simulator has not got
 * it (it keeps its portals in memory: each start makes it again). Resolves what an integration
 * is given: the portal by host name (`http://demo.talentlms.localhost:<port>`: a portal URL is
 * an address, never a path; the services resolve `*.localhost` through localhost-names.cjs)
 * and its key. `token`: the platform token, which the admin API needs when API_TOKEN is set.
 */
async function ensureDemoPortal({ simUrl, token, seed }) {
  const { body: portals } = await call(simUrl, token, 'GET', '/_sim/portals', undefined, [200]);
  if (!portals.some((portal) => portal.name === DEMO_PORTAL.name)) {
    const made = { ...DEMO_PORTAL, ...(seed === undefined ? {} : { seed }) };
    await call(simUrl, token, 'POST', '/_sim/portals', made, [201]);
  }
  const url = new URL(simUrl);
  url.hostname = `${DEMO_PORTAL.name}.talentlms.localhost`;
  return { name: DEMO_PORTAL.name, url: url.origin, apiKey: DEMO_PORTAL.apiKey };
}

/**
 * Makes sure the demo company exists with an integration on `portal`; resolves its id, whether
 * it was made now, whether its integration was moved to `portal` (it pointed elsewhere: an
 * older start's portal, or the simulator on another port), and a new company token.
 *   urls: { hr, orchestrator }  token: the platform token  portal: { url, apiKey }
 */
async function ensureDemoCompany({ urls, token, portal }) {
  let company = await findCompany(urls.hr, token, DEMO.name);
  const created = !company;
  if (!company) company = (await call(urls.hr, token, 'POST', '/companies', DEMO, [201])).body;
  const integration = `/companies/${company.id}/integrations/talentlms`;
  const current = await call(urls.orchestrator, token, 'GET', integration, undefined, [200, 404]);
  const moved = current.status === 200 && current.body.portalUrl !== portal.url;
  if (current.status === 404 || moved) {
    // A first save verifies the portal and starts the initial sync of the demo people; a move
    // keeps the company's own choices.
    const { branch, direction, automaticSync } = moved
      ? current.body
      : { branch: 'all', direction: 'two-way', automaticSync: true };
    await call(
      urls.orchestrator,
      token,
      'PUT',
      integration,
      { portalUrl: portal.url, apiKey: portal.apiKey, branch, direction, automaticSync },
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
  return { id: company.id, created, moved, companyToken: issued.body.token };
}

module.exports = { ensureDemoCompany, ensureDemoPortal, DEMO, DEMO_PORTAL };
