import { AppError, RpcErrorCodes } from '@talentsync/contracts';
import { RemoteCallError } from '@talentsync/shared/messaging';
import { settingsCheckFailure } from './settings-check';

const fromConnector = (code: string, retryable = false, details?: object) =>
  new RemoteCallError('lms.portal.verify', {
    code,
    message: `${code} said`,
    retryable,
    ...(details ? { details } : {}),
  });

describe(settingsCheckFailure.name, () => {
  it.each`
    code                      | retryable | status | field
    ${'LMS_INVALID_KEY'}      | ${false}  | ${422} | ${'apiKey'}
    ${'LMS_API_DISABLED'}     | ${false}  | ${422} | ${'apiKey'}
    ${'LMS_DOMAIN_INACTIVE'}  | ${false}  | ${422} | ${'portalUrl'}
    ${'LMS_BRANCH_NOT_FOUND'} | ${false}  | ${422} | ${'branch'}
    ${'LMS_INVALID_PORTAL'}   | ${false}  | ${422} | ${'portalUrl'}
    ${'LMS_BAD_RESPONSE'}     | ${false}  | ${422} | ${'portalUrl'}
    ${'LMS_NOT_FOUND'}        | ${false}  | ${422} | ${'portalUrl'}
    ${'LMS_UNREACHABLE'}      | ${true}   | ${503} | ${undefined}
    ${'LMS_UNREACHABLE'}      | ${false}  | ${502} | ${undefined}
    ${'LMS_SERVER_ERROR'}     | ${true}   | ${503} | ${undefined}
    ${'LMS_RATE_LIMITED'}     | ${true}   | ${503} | ${undefined}
    ${'LMS_CIRCUIT_OPEN'}     | ${true}   | ${503} | ${undefined}
    ${'LMS_KEY_UNREADABLE'}   | ${false}  | ${502} | ${undefined}
    ${'LMS_TIMEOUT'}          | ${true}   | ${504} | ${undefined}
    ${RpcErrorCodes.timeout}  | ${true}   | ${503} | ${undefined}
  `('$code (retryable: $retryable) -> $status $field', ({ code, retryable, status, field }) => {
    const sut = settingsCheckFailure(fromConnector(code, retryable)) as AppError;

    expect(sut).toMatchObject({ code, status, message: `${code} said` });
    expect((sut.details as { field?: string } | undefined)?.field).toBe(field);
  });

  it('keeps what lms-connector said beside the field, and is never retried', () => {
    const sut = settingsCheckFailure(
      fromConnector('LMS_INVALID_KEY', false, { status: 401, action: 'siteinfo' }),
    );

    expect(sut).toMatchObject({
      retryable: false,
      details: { status: 401, action: 'siteinfo', field: 'apiKey' },
    });
  });

  it('leaves errors that are not AppErrors as they are', () => {
    const error = new Error('boom');
    expect(settingsCheckFailure(error)).toBe(error);
  });
});
