import { afterFailure, pickClaims, type ClaimCandidate } from './push-claim-rules';

const c = (companyId: string, seq: number): ClaimCandidate => ({
  companyId,
  eventId: `${companyId}-${seq}`,
  seq,
});
const ids = (picked: ClaimCandidate[]) => picked.map((p) => p.eventId);

describe('pickClaims: which ready pushes free workers take', () => {
  it.each([
    {
      name: 'oldest first, up to the free workers',
      candidates: [c('a', 3), c('b', 1), c('c', 2)],
      inFlight: {},
      free: 2,
      cap: 2,
      expected: ['b-1', 'c-2'],
    },
    {
      name: "a company's share is capped: the rest go to the others",
      candidates: [c('a', 1), c('a', 2), c('a', 3), c('b', 4)],
      inFlight: {},
      free: 8,
      cap: 2,
      expected: ['a-1', 'a-2', 'b-4'],
    },
    {
      name: 'pushes in flight elsewhere (other replicas) count against the cap',
      candidates: [c('a', 1), c('a', 2), c('b', 3)],
      inFlight: { a: 1 },
      free: 8,
      cap: 2,
      expected: ['a-1', 'b-3'],
    },
    {
      name: 'a company at its cap gets nothing, however old its pushes',
      candidates: [c('a', 1), c('b', 2)],
      inFlight: { a: 2 },
      free: 8,
      cap: 2,
      expected: ['b-2'],
    },
    {
      name: 'no free worker: nothing',
      candidates: [c('a', 1)],
      inFlight: {},
      free: 0,
      cap: 2,
      expected: [],
    },
    {
      name: 'a cap of one: one push per company at a time',
      candidates: [c('a', 1), c('a', 2), c('b', 3), c('b', 4), c('c', 5)],
      inFlight: {},
      free: 8,
      cap: 1,
      expected: ['a-1', 'b-3', 'c-5'],
    },
  ])('$name', ({ candidates, inFlight, free, cap, expected }) => {
    const picked = pickClaims(candidates, new Map(Object.entries(inFlight)), {
      free,
      maxInFlightPerCompany: cap,
    });
    expect(ids(picked)).toEqual(expected);
  });
});

describe('afterFailure: a push that failed in passing', () => {
  const settings = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 2000 };

  it.each([
    { attempts: 1, roomIn: undefined, expected: { retryInMs: 250 } },
    { attempts: 2, roomIn: undefined, expected: { retryInMs: 500 } },
    { attempts: 3, roomIn: undefined, expected: { retryInMs: 1000 } },
    { attempts: 4, roomIn: undefined, expected: { retryInMs: 2000 } }, // capped
    { attempts: 4, roomIn: 60_000, expected: { retryInMs: 60_000 } }, // when TalentLMS has room
    { attempts: 1, roomIn: -5, expected: { retryInMs: 0 } },
    { attempts: 5, roomIn: undefined, expected: { giveUp: true } },
    { attempts: 5, roomIn: 1000, expected: { giveUp: true } },
  ])('attempt $attempts (room in $roomIn ms): $expected', ({ attempts, roomIn, expected }) => {
    expect(afterFailure(attempts, settings, roomIn)).toEqual(expected);
  });
});
