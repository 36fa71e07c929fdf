// Small HTTP helpers for the benchmark: JSON in and out, the dev bearer token, clear errors.
import { API_TOKEN } from './system.mjs';

export async function api(method, url, body, { token = API_TOKEN, expect } = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  const ok = expect ? [expect].flat().includes(response.status) : response.ok;
  if (!ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return { status: response.status, data };
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function inPool(items, concurrency, work) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  });
  await Promise.all(workers);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
