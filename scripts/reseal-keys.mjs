#!/usr/bin/env node
// `npm run keys:reseal`: after rotating SETTINGS_ENCRYPTION_KEY (the new key set, the old one
// moved to SETTINGS_ENCRYPTION_OLD_KEYS on lms-connector), has the running sync-orchestrator
// re-seal every company's stored TalentLMS key through lms-connector: the companies come from
// hr-service (GET /companies, all pages), each company's key is one POST. The keys never pass
// through here.
//   HR_SERVICE_URL         default http://127.0.0.1:3001
//   SYNC_ORCHESTRATOR_URL  default http://127.0.0.1:3003
//   API_TOKEN              the platform token (default: the development token)
const hr = process.env.HR_SERVICE_URL || 'http://127.0.0.1:3001';
const base = process.env.SYNC_ORCHESTRATOR_URL || 'http://127.0.0.1:3003';
const token = process.env.API_TOKEN || 'talentsync-dev-token';
const PAGE_SIZE = 200;

/** JSON from `url`; exits naming the service on anything but a 2xx. */
async function call(service, url, method = 'GET') {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    console.error(`[keys:reseal] cannot reach ${service} at ${url.origin}: ${error.message}`);
    process.exit(1);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    console.error(
      `[keys:reseal] ${service} answered ${response.status} ${body.error ?? ''}: ${body.message ?? ''}`,
    );
    process.exit(1);
  }
  return body;
}

let resealed = 0;
let companies = 0;
for (let page = 1; ; page += 1) {
  const { items } = await call(
    'hr-service',
    new URL(`/companies?page=${page}&pageSize=${PAGE_SIZE}`, hr),
  );
  for (const company of items) {
    const path = `/companies/${company.id}/integrations/talentlms/reseal-key`;
    resealed += (await call('sync-orchestrator', new URL(path, base), 'POST')).resealed;
    companies += 1;
  }
  if (items.length < PAGE_SIZE) break;
}
console.log(
  `[keys:reseal] ${resealed} key(s) re-sealed with the current key (${companies} companies)`,
);
