import {
  AppError,
  LmsErrorCode,
  LmsErrorCodes,
  SETTINGS_FIELD_OF_LMS_ERROR,
} from '@talentsync/contracts';

/**
 * What a failed portal check of settings (save or test) answers over HTTP: a failure the user
 * fixes in a field (SETTINGS_FIELD_OF_LMS_ERROR) is 422 with `details.field`, so a typo pages no
 * SRE; a portal that does not answer in time is 504; any other failure (unreachable, failing
 * portal, lms-connector away) keeps its 502/503. The code and message stay as lms-connector said.
 */
export function settingsCheckFailure(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
  const field = SETTINGS_FIELD_OF_LMS_ERROR[error.code as LmsErrorCode];
  if (field) {
    return new AppError(error.code, error.message, {
      status: 422,
      retryable: false,
      details: { ...details, field },
      cause: error,
    });
  }
  if (error.code === LmsErrorCodes.timeout) {
    return new AppError(error.code, error.message, {
      status: 504,
      retryable: error.retryable,
      details: error.details,
      cause: error,
    });
  }
  return error;
}
