// The naive baseline: what a sync costs when every person is looked up by e-mail, then written
// (created when missing, else edited), straight against the portal's API over HTTP. Run by
// bench/run.mjs on the same people as our sync; runnable alone against any portal:
//   node bench/naive.mjs <portal url> <api key> <N>
import { employee } from './lib/people.mjs';
import { inPool } from './lib/http.mjs';

function form(fields) {
  return new URLSearchParams(fields).toString();
}

/**
 * One naive pass over `people`; resolves `{calls: {endpoint: n}, seconds}`.
 * `concurrency` requests in flight (like our applier's SYNC_APPLY_CONCURRENCY).
 */
export async function naivePass(portalUrl, apiKey, people, { concurrency = 8 } = {}) {
  const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  const calls = {};
  const call = async (endpoint, path, body) => {
    calls[endpoint] = (calls[endpoint] ?? 0) + 1;
    const response = await fetch(`${portalUrl}/api/v1/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: auth,
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: body ? form(body) : undefined,
    });
    const data = await response.json().catch(() => null);
    if (response.status === 404 && endpoint === 'users/email') return null;
    if (!response.ok)
      throw new Error(`${endpoint} answered ${response.status}: ${JSON.stringify(data)}`);
    return data;
  };
  const started = Date.now();
  await inPool(people, concurrency, async (person, i) => {
    const found = await call('users/email', `users/email:${encodeURIComponent(person.email)}`);
    const fields = {
      first_name: person.firstName,
      last_name: person.lastName,
      email: person.email,
      custom_field_2: person.attributes.department,
      custom_field_3: person.attributes.city,
    };
    if (found) await call('edituser', 'edituser', { user_id: found.id, ...fields });
    else
      await call('usersignup', 'usersignup', {
        ...fields,
        login: `naive${i}`,
        password: 'Naive-Passw0rd',
        language: 'en',
      });
  });
  return { calls, seconds: (Date.now() - started) / 1000 };
}

if (process.argv[1] && process.argv[1].endsWith('naive.mjs')) {
  const [url, key, n] = process.argv.slice(2);
  if (!url || !key || !Number(n)) {
    process.stderr.write('usage: node bench/naive.mjs <portal url> <api key> <N>\n');
    process.exit(2);
  }
  const people = Array.from({ length: Number(n) }, (_, i) => employee(i));
  const result = await naivePass(url, key, people);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
