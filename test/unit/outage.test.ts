// Which failures are a passing outage (wait and run again) and which are real: the Temporal client's errors as the
// chaos run logged them (a workflow whose task failed when its worker died refuses Updates until a retry succeeds).
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { dependencyOutage } from '../../src/outage.js';

const grpcError = (code: number, message: string) => Object.assign(new Error(`${code} ${message}`), { code });

test.each([
  ['the Temporal service down', new ServiceError('Failed to start Workflow', { cause: grpcError(14, 'UNAVAILABLE: No connection established') })],
  ['an Update on a workflow whose task failed', new ServiceError('Workflow Update failed', { cause: grpcError(9, 'FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.') })],
  ['too many Updates in flight', new ServiceError('Workflow Update failed', { cause: grpcError(8, 'RESOURCE_EXHAUSTED: limit on number of concurrent in-flight updates has been reached (10)') })],
  ['an Update that timed out', new WorkflowUpdateRPCTimeoutOrCancelledError('context deadline exceeded', { cause: grpcError(4, 'DEADLINE_EXCEEDED: context deadline exceeded') })],
])('%s is a Temporal outage', (_what, error) => {
  expect(dependencyOutage(error)).toBe('temporal');
});

test.each([
  ['another precondition', new ServiceError('Failed to signal', { cause: grpcError(9, 'FAILED_PRECONDITION: namespace is not active') })],
  ['a request Temporal refuses', new ServiceError('Failed to start Workflow', { cause: grpcError(3, 'INVALID_ARGUMENT: WorkflowId is not set') })],
  ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
])('%s is not an outage', (_what, error) => {
  expect(dependencyOutage(error)).toBeUndefined();
});

test('a socket refused by PostgreSQL, even wrapped, is a database outage', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  expect(dependencyOutage(new Error('Query failed', { cause: refused }))).toBe('database');
});
