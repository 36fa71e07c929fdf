import { IsInt, IsString, Min, validateSync } from 'class-validator';
import { rememberValidationRules } from './validation';

class Parent {
  @IsString() name!: string;
}

class Child extends Parent {
  @IsInt() @Min(1) size!: number;
}

const failed = (value: object) =>
  validateSync(value, { forbidUnknownValues: true })
    .map((e) => e.property)
    .sort();

describe(rememberValidationRules.name, () => {
  beforeAll(() => rememberValidationRules());

  it('validates as before, inherited rules included, again and again', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(failed(Object.assign(new Child(), { name: 1, size: 0 }))).toEqual(['name', 'size']);
      expect(failed(Object.assign(new Child(), { name: 'a', size: 2 }))).toEqual([]);
    }
  });

  it('a rule registered after a class was first validated takes effect', () => {
    class Late {
      @IsString() first!: string;
    }
    expect(failed(Object.assign(new Late(), { first: 'x' }))).toEqual([]);
    IsInt()(Late.prototype, 'first');
    expect(failed(Object.assign(new Late(), { first: 'x' }))).toEqual(['first']);
  });

  it('is installed once, however often it is called', () => {
    rememberValidationRules();
    expect(failed(Object.assign(new Child(), { name: 'a', size: 0 }))).toEqual(['size']);
  });
});
