import { REPLY_TOO_LARGE } from '@talentsync/contracts';
import type { NatsConnection } from '@talentsync/shared/messaging';
import { assertFitsInOneMessage } from './reply-budget';

const natsWithMaxPayload = (max_payload: number) =>
  ({ connection: { info: { max_payload } } }) as unknown as NatsConnection;

const page = (count: number) => ({
  items: Array.from({ length: count }, (_, i) => ({ id: i, text: 'x'.repeat(90) })),
  total: count,
});

describe(assertFitsInOneMessage.name, () => {
  it('passes a page that fits through unchanged', () => {
    const reply = page(10);
    expect(assertFitsInOneMessage(natsWithMaxPayload(1024 * 1024), reply)).toBe(reply);
  });

  it('refuses a page that does not fit, with the page size that would', () => {
    // ~110 bytes per item; 20 kB minus the envelope margin holds about 170 of them.
    let error: unknown;
    try {
      assertFitsInOneMessage(natsWithMaxPayload(20_000), page(500));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: REPLY_TOO_LARGE, retryable: false, status: 413 });
    const { maxPageSize } = (error as { details: { maxPageSize: number } }).details;
    expect(maxPageSize).toBeGreaterThan(150);
    expect(maxPageSize).toBeLessThan(180);
    expect(() =>
      assertFitsInOneMessage(natsWithMaxPayload(20_000), page(maxPageSize)),
    ).not.toThrow();
  });
});
