import { randomUUID } from 'node:crypto';
import { type Answer, documentedRoutes, HttpClient, type Route } from './edge-probe';
import { companyPath, HrApi, OrchestratorApi } from './sync-fixtures';

// What the isolation suite (isolation.e2e-spec.ts, SPEC 9) needs to probe every company route
// of a running system: the routes from each service's OpenAPI document, their paths filled
// with one company's ids, a body that would succeed, and everything a company holds, read
// whole so that "changed nothing" is one comparison.

/** The ids a company route may name besides `:companyId`. */
export interface ResourceIds {
  employee: string;
  run: string;
  token: string;
}

/** A fresh id for each kind: nothing anywhere has it. */
export const unknownIds = (): ResourceIds => ({
  employee: randomUUID(),
  run: randomUUID(),
  token: randomUUID(),
});

/** The id kind of a path parameter, by the collection it follows (`/employees/:id`). */
const KIND_AFTER: Record<string, keyof ResourceIds> = {
  employees: 'employee',
  runs: 'run',
  notifications: 'run',
  tokens: 'token',
};

/** The route's path with `companyId` and `ids` in place of its parameters. */
export function fill(route: Route, companyId: string, ids: ResourceIds): string {
  const segments = route.path.split('/');
  return segments
    .map((segment, i) => {
      if (segment === ':companyId') return companyId;
      if (!segment.startsWith(':')) return segment;
      const kind = KIND_AFTER[segments[i - 1]];
      if (!kind) throw new Error(`no id kind for ${segment} in ${route.path}`);
      return ids[kind];
    })
    .join('/');
}

export const hasCompany = (route: Route) => route.path.includes(':companyId');
/** Whether the route names a resource of the company besides the company itself. */
export const hasResource = (route: Route) =>
  route.path.split('/').filter((s) => s.startsWith(':')).length > 1;

/** Routes anyone may call (no company in them, nothing to isolate). */
export const isOpen = (route: Route) =>
  route.path.startsWith('/health/') || route.path === '/metrics';

/**
 * A body the route would accept from its company (so a refusal is the company check, not
 * validation); `portal` is where a saved integration would point.
 */
export function validBody(route: Route, portal: { url: string; apiKey: string }): unknown {
  const key = `${route.method} ${route.path}`;
  const bodies: [RegExp, unknown][] = [
    [
      /^POST \/companies\/:companyId\/employees$/,
      {
        firstName: 'Mallory',
        lastName: 'Intruder',
        email: `mallory.${randomUUID().slice(0, 8)}@evil.test`,
        language: 'en',
        hireDate: '2026-01-05',
      },
    ],
    [/^PATCH \/companies\/:companyId\/employees\/:id$/, { firstName: 'Mallory' }],
    [/^POST .*\/training$/, { courseId: '1' }],
    [
      /^PUT \/companies\/:companyId$/,
      { name: 'Mallory Inc', ownerEmail: 'mallory@evil.test', adminEmails: [] },
    ],
    [/^POST \/companies\/:companyId\/tokens$/, { name: 'stolen' }],
    [
      /^PUT .*\/integrations\/talentlms$/,
      { ...portalOf(portal), branch: 'all', direction: 'two-way', automaticSync: true },
    ],
    [/^POST .*\/integrations\/talentlms\/test$/, portalOf(portal)],
  ];
  const found = bodies.find(([pattern]) => pattern.test(key));
  if (found) return found[1];
  return ['GET', 'DELETE', 'HEAD'].includes(route.method) ? undefined : {};
}

const portalOf = (portal: { url: string; apiKey: string }) => ({
  portalUrl: portal.url,
  apiKey: portal.apiKey,
});

/** The routes of every service's OpenAPI document, each with the service that serves it. */
export async function everyRoute(
  urls: Record<string, string>,
  token: string,
): Promise<{ service: string; route: Route }[]> {
  const all: { service: string; route: Route }[] = [];
  for (const [service, url] of Object.entries(urls))
    for (const route of await documentedRoutes(url, token)) all.push({ service, route });
  return all;
}

/** An answer with the given ids written as their kind: two answers about different ids compare. */
export function normalised(answer: Answer, ids: Record<string, string>): string {
  let text = `${answer.status} ${answer.text}`;
  for (const [name, id] of Object.entries(ids)) text = text.split(id).join(`<${name}>`);
  return text;
}

export interface CompanyView {
  company: unknown;
  tokens: unknown;
  employees: unknown;
  training: unknown[];
  integration: unknown;
  runs: unknown[];
  pushes: unknown;
  notifications: unknown;
}

/** Everything a company holds, read with the platform token through every service. */
export async function companyView(
  urls: Record<string, string>,
  companyId: string,
  token: string,
): Promise<CompanyView> {
  const http = new HttpClient(token);
  const read = async (service: string, path: string) => {
    const answer = await http.call(urls[service], 'GET', path);
    return { status: answer.status, body: answer.body };
  };
  const hr = new HrApi(urls['hr-service'], companyId, token);
  const orchestrator = new OrchestratorApi(urls['sync-orchestrator'], companyId, {
    token,
    itemsPageSize: 5000,
  });
  const employees = await hr.all();
  const runs = (await orchestrator.runs()).items;
  return {
    company: await read('hr-service', companyPath(companyId)),
    tokens: await read('hr-service', companyPath(companyId, '/tokens')),
    employees,
    training: await Promise.all(employees.map((e) => hr.training(e.id))),
    integration: (await orchestrator.settings()).body,
    runs: await Promise.all(runs.map((r) => orchestrator.run(r.id))),
    pushes: await orchestrator.pushes(),
    notifications: await read('notifier', companyPath(companyId, '/notifications?pageSize=100')),
  };
}
