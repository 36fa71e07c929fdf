import { processCounter } from '@talentsync/shared/messaging';

const forged = processCounter(
  'lmsForgedRequests',
  "lms.* requests refused because their portal key was sealed for another company than the request's",
);

/** Forged lms.* requests (a key of company A under company B's id), by subject. */
export const ForgedRequestMetrics = {
  refused(subject: string): void {
    forged.inc({ subject });
  },
};
