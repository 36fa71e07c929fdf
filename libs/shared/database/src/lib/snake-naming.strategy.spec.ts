import { snakeCase, SnakeNamingStrategy } from './snake-naming.strategy';

describe(SnakeNamingStrategy.name, () => {
  const sut = new SnakeNamingStrategy();

  it.each([
    ['hireDate', 'hire_date'],
    ['lmsUserId', 'lms_user_id'],
    ['HTTPStatus', 'http_status'],
    ['id', 'id'],
  ])('turns %s into %s', (input, output) => expect(snakeCase(input)).toBe(output));

  it('names columns in snake_case unless given a name', () => {
    expect(sut.columnName('terminationDate', undefined, [])).toBe('termination_date');
    expect(sut.columnName('x', 'Custom', [])).toBe('custom');
    expect(sut.columnName('city', undefined, ['homeAddress'])).toBe('home_address_city');
  });

  it('names tables after the class unless given a name', () => {
    expect(sut.tableName('OutboxMessage', undefined)).toBe('outbox_message');
    expect(sut.tableName('OutboxMessage', 'outbox')).toBe('outbox');
  });
});
