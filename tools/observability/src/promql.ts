/**
 * What a PromQL expression reads: the metric names and the label names it selects, groups or
 * joins by. Enough PromQL for our alert rules and dashboard, not a parser: it removes what is
 * not a name (strings, ranges, numbers), takes names out of `{...}` matchers and `by (...)`-like
 * clauses as labels, and what is left that is not a function or a keyword is a metric.
 */
export interface PromqlNames {
  metrics: string[];
  labels: string[];
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const MATCHERS = /\{([^}]*)\}/g;
const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;

export function promqlNames(expr: string): PromqlNames {
  const labels = new Set<string>();
  const addLabels = (text: string) => {
    for (const [name] of text.matchAll(NAME)) labels.add(name);
  };
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\[[^\]]*\]/g, ' ');
  rest = rest.replace(MATCHERS, (_, inside: string) => {
    addLabels(inside.replace(/(=~|!~|!=|=)\s*""/g, ' '));
    return ' ';
  });
  rest = rest.replace(GROUPING, (_, inside: string) => {
    addLabels(inside);
    return ' ';
  });
  const metrics = new Set<string>();
  for (const match of rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    const before = rest[(match.index ?? 0) - 1];
    // a function call, a keyword, or the exponent/unit tail of a number (1e3, 5m)
    if (call || KEYWORDS.has(name.toLowerCase()) || (before && /[0-9.]/.test(before))) continue;
    metrics.add(name);
  }
  return { metrics: [...metrics].sort(), labels: [...labels].sort() };
}
