import { nestsDeeperThan } from './json-depth';

const nested = (levels: number) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
};

describe(nestsDeeperThan.name, () => {
  it.each([
    ['a scalar', 'text', false],
    ['null', null, false],
    ['a flat object', { a: 1, b: 'x' }, false],
    ['exactly the limit', nested(3), false],
    ['one level more', nested(4), true],
    ['5,000 levels, without overflowing the stack', nested(5_000), true],
  ])('%s', (_what, value, expected) => {
    expect(nestsDeeperThan(value, 3)).toBe(expected);
  });
});
