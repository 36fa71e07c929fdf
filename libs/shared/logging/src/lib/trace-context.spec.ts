import {
  childOf,
  continueTrace,
  currentTrace,
  formatTraceparent,
  outgoingTraceparent,
  parseTraceparent,
  runInTrace,
  startTrace,
  traceHttpRequest,
  traceLogFields,
} from './trace-context';

const GIVEN = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context (W3C traceparent)', () => {
  it('gives every new trace and span ids of their own, across many draws of random bytes', () => {
    const traces = Array.from({ length: 2_000 }, () => startTrace());
    const ids = traces.flatMap((t) => [t.traceId, t.spanId]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of traces) {
      expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(t.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it.each([
    [
      GIVEN,
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01' },
    ],
    [
      GIVEN.toUpperCase(),
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01' },
    ],
    // A later version may append fields: the first four still hold.
    [
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra',
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '00' },
    ],
  ])('reads %s', (header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a string', ['a', 'b']],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['version 00 with more fields', `${GIVEN}-extra`],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['not hex', '00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01'],
  ])('refuses a %s header', (_, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('writes version 00 and reads back what it wrote', () => {
    const trace = startTrace();
    expect(formatTraceparent(trace)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(parseTraceparent(formatTraceparent(trace))).toEqual(trace);
  });

  it('gives each hop a span of its own in the same trace', () => {
    const parent = parseTraceparent(GIVEN)!;
    const child = childOf(parent);
    expect(child.traceId).toBe(parent.traceId);
    expect(child.flags).toBe(parent.flags);
    expect(child.spanId).not.toBe(parent.spanId);
    expect(continueTrace(GIVEN).traceId).toBe(parent.traceId);
  });

  it('starts a new trace when the caller sent none or a broken one', () => {
    const a = continueTrace(undefined);
    const b = continueTrace('garbage');
    expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.traceId).not.toBe(a.traceId);
  });

  it('keeps the trace across awaits inside runInTrace, and none outside', async () => {
    const trace = startTrace();
    expect(currentTrace()).toBeUndefined();
    expect(outgoingTraceparent()).toBeUndefined();
    expect(traceLogFields()).toEqual({});
    const seen = await runInTrace(trace, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { fields: traceLogFields(), outgoing: parseTraceparent(outgoingTraceparent()) };
    });
    expect(seen.fields).toEqual({ traceId: trace.traceId, spanId: trace.spanId });
    expect(seen.outgoing?.traceId).toBe(trace.traceId);
    expect(seen.outgoing?.spanId).not.toBe(trace.spanId);
    expect(currentTrace()).toBeUndefined();
  });

  it('runs an HTTP request in the caller trace and answers its span', () => {
    const answered: Record<string, string> = {};
    let inside: ReturnType<typeof currentTrace>;
    traceHttpRequest(
      { headers: { traceparent: GIVEN } },
      { setHeader: (name, value) => (answered[name] = value) },
      () => (inside = currentTrace()),
    );
    expect(inside!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parseTraceparent(answered.traceparent)).toEqual(inside);
    expect(inside!.spanId).not.toBe('00f067aa0ba902b7');
  });
});
