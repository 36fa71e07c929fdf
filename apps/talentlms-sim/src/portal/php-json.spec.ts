import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { phpJson } from './php-json';

const FIXTURES = join(__dirname, '../../fixtures');

describe(phpJson.name, () => {
  it.each([
    ['slashes', { url: 'https://a.b/c' }, '{"url":"https:\\/\\/a.b\\/c"}'],
    ['non-ASCII as \\uXXXX', { name: 'Amélie Å' }, '{"name":"Am\\u00e9lie \\u00c5"}'],
    ['astral characters as surrogate pairs', { s: '😀' }, '{"s":"\\ud83d\\ude00"}'],
    ['quotes and control characters as JSON does', { s: 'a"b\nc' }, '{"s":"a\\"b\\nc"}'],
    ['null and numbers untouched', { bio: null, t: 0 }, '{"bio":null,"t":0}'],
  ])('writes %s as PHP json_encode does', (_label, value, expected) => {
    expect(phpJson(value)).toBe(expected);
  });

  it('reproduces a recorded portal answer byte for byte', () => {
    const recorded = readFileSync(join(FIXTURES, 'user-detail.json'), 'utf8').trim();
    expect(phpJson(JSON.parse(recorded))).toBe(recorded);
  });
});
