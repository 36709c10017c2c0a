/** Which failures the API answers 503 with a code, or 400, instead of a 500: the shapes the drivers really throw. */
import { ServiceError } from '@temporalio/client';
import { classifyFailure } from '../../src/api/outages';

/** A gRPC status as @grpc/grpc-js rejects a call with it. */
function grpcStatus(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

test.each([
  [
    'Temporal refusing connections',
    new ServiceError('Failed to start Workflow', { cause: grpcStatus(14, 'No connection established') }),
  ],
  [
    'a query no worker answers',
    new ServiceError('Failed to query Workflow', {
      cause: grpcStatus(4, 'query timed out before a worker could process it'),
    }),
  ],
  [
    'a full query buffer',
    new ServiceError('Failed to query Workflow', { cause: grpcStatus(8, 'consistent query buffer is full') }),
  ],
])('%s is 503 TEMPORAL_UNAVAILABLE', (_case, error) => {
  expect(classifyFailure(error)).toMatchObject({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });
});

test.each([
  ['PostgreSQL shutting down', pgError('terminating connection due to administrator command', '57P01')],
  ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
  ['a connection lost mid-query', pgError('select 1 - Connection terminated unexpectedly')],
  [
    'an exhausted pool',
    Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
      name: 'KnexTimeoutError',
    }),
  ],
])('%s is 503 DATABASE_UNAVAILABLE', (_case, error) => {
  expect(classifyFailure(error)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
});

test.each([
  ['a NUL byte in text', pgError('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
  ['a date out of range', pgError('date/time field value out of range', '22008')],
])('%s is 400 VALIDATION_FAILED', (_case, error) => {
  expect(classifyFailure(error)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
});

test('anything else stays unclassified (a logged 500)', () => {
  expect(classifyFailure(new TypeError('x is not a function'))).toBeUndefined();
});
