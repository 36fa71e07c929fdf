import type { NextFunction, Request, Response } from 'express';

/** Deeper than any body a service takes (employees nest 2 levels); a flood of nesting is not data. */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests arrays/objects deeper than `limit` levels; iterative, so any depth is safe. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/**
 * Refuses a parsed JSON body nested deeper than MAX_JSON_DEPTH before validation walks it
 * recursively (a 5,000-level body overflowed the stack: 500 and a stack trace per request).
 * The error has body-parser's shape (`status`, `expose`), so it is answered like a malformed
 * body: 400, one log line.
 */
export function refuseDeepJson(request: Request, _response: Response, next: NextFunction): void {
  if (!nestsDeeperThan(request.body, MAX_JSON_DEPTH)) return next();
  next(
    Object.assign(new Error(`JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`), {
      status: 400,
      expose: true,
    }),
  );
}
