import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { isDependencyDown } from './error-handler';

// What adapter-pg throws for a Postgres error it has no Prisma code for: the SQLSTATE is in the cause.
const postgresError = (code: string, message: string) => new DriverAdapterError({ kind: 'postgres', code, severity: 'FATAL', message, detail: undefined, column: undefined, hint: undefined });

describe('dependency errors', () => {
  test.each([
    ['57P03', 'the database system is not yet accepting connections'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['08006', 'connection failure'],
  ])('when Postgres answers SQLSTATE %s, then it is a dependency outage (503)', (code, message) => {
    expect(isDependencyDown(postgresError(code, message))).toBe(true);
    expect(isDependencyDown(new Error('query failed', { cause: postgresError(code, 'localised text') }))).toBe(true);
  });

  test('when Postgres refuses the statement itself, then it is not an outage', () => {
    expect(isDependencyDown(postgresError('22P02', 'invalid input syntax for type uuid'))).toBe(false);
    expect(isDependencyDown(postgresError('57014', 'canceling statement due to statement timeout'))).toBe(false);
  });
});
