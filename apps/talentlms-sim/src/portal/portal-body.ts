import type { Request } from 'express';

/** Bigger multipart bodies are not read (the form parser has the same limit). */
const MULTIPART_LIMIT_BYTES = 1024 * 1024;

function mediaType(request: Request): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

async function rawBody(request: Request): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MULTIPART_LIMIT_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The body parameters of a portal call as PHP's `$_POST` has them: only for POST, only from
 * a form-encoded body (read by the urlencoded middleware) or a multipart one (read here with
 * the fetch API's parser; file parts are ignored). A JSON body gives none: PHP does not read
 * JSON into `$_POST`, so a real portal never sees parameters sent that way.
 */
export async function readPortalBody(request: Request): Promise<Record<string, string>> {
  if (request.method !== 'POST') return {};
  const type = mediaType(request);
  if (type === 'application/x-www-form-urlencoded') {
    return (request.body ?? {}) as Record<string, string>;
  }
  if (type !== 'multipart/form-data' || request.readableEnded) return {};
  const body = await rawBody(request);
  if (!body) return {};
  try {
    const form = await new Response(body, {
      headers: { 'content-type': String(request.headers['content-type']) },
    }).formData();
    const params: Record<string, string> = {};
    for (const [name, value] of form) {
      if (typeof value === 'string' && !(name in params)) params[name] = value;
    }
    return params;
  } catch {
    return {}; // a malformed multipart body: PHP leaves $_POST empty too
  }
}
