import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CouplerError } from '@coupler/kit';
import { toGrpcStatus } from './error-status.js';

describe('toGrpcStatus', () => {
  it('maps our codes and keeps the message', () => {
    expect(
      toGrpcStatus(
        new CouplerError('CPL_ERR_SYNC_INVALID_BATCH', 'invalid batch: records[0].sequence: ...'),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'invalid batch: records[0].sequence: ...',
      isExpected: true,
    });
    expect(toGrpcStatus(new CouplerError('CPL_ERR_STORE_WRITE', 'disk full')).code).toBe(
      status.UNAVAILABLE,
    );
  });

  it('hides anything else behind INTERNAL', () => {
    const err = new TypeError('cannot read properties of undefined (reading "x")');
    expect(toGrpcStatus(err)).toEqual({
      code: status.INTERNAL,
      details: 'internal error',
      isExpected: false,
    });
    expect(toGrpcStatus(new CouplerError('CPL_ERR_SOMETHING_ELSE', 'secret'))).toMatchObject({
      details: 'internal error',
    });
    expect(toGrpcStatus('a string')).toMatchObject({ code: status.INTERNAL });
  });
});
