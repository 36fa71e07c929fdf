import { REPLY_TOO_LARGE, RpcReply } from '@talentsync/contracts';
import { encodeReply } from './reply-size';

const page = (count: number): RpcReply<unknown> => ({
  ok: true,
  data: {
    items: Array.from({ length: count }, (_, i) => ({ id: i, text: 'x'.repeat(90) })),
    total: count,
  },
});

const decode = (text: string) => JSON.parse(text) as RpcReply<unknown>;

describe(encodeReply.name, () => {
  it('sends a reply that fits as it is', () => {
    const reply = page(10);
    expect(decode(encodeReply(reply))).toEqual(reply);
  });

  it('answers a page that does not fit REPLY_TOO_LARGE, with the page size that would', () => {
    // ~110 bytes per item; 20 kB minus the headers margin holds about 170 of them.
    const answer = decode(encodeReply(page(500), 20_000));
    expect(answer).toMatchObject({
      ok: false,
      error: { code: REPLY_TOO_LARGE, retryable: false, details: { maxPayload: 20_000 } },
    });
    const { maxPageSize } = (answer as { error: { details: { maxPageSize: number } } }).error
      .details;
    expect(maxPageSize).toBeGreaterThan(150);
    expect(maxPageSize).toBeLessThan(180);
    expect(decode(encodeReply(page(maxPageSize), 20_000)).ok).toBe(true);
  });

  it('names no page size for a reply that is not a page', () => {
    const answer = decode(encodeReply({ ok: true, data: { blob: 'x'.repeat(30_000) } }, 20_000));
    expect(answer).toMatchObject({ ok: false, error: { code: REPLY_TOO_LARGE } });
    expect(JSON.stringify(answer)).not.toContain('maxPageSize');
  });
});
