import { CompanyEvents, parseEvent } from '@talentsync/contracts';
import { companyDeleted, companyPurged } from './company-events';

const companyId = '3c9e1f0a-5b2d-4e8f-a1c3-7d6b5a4f3e2d';

describe('company events', () => {
  it('builds a company.deleted that passes its contract, with when its rows go', () => {
    const purgeAfter = new Date('2027-01-05T10:00:00.000Z');
    const sut = companyDeleted(companyId, purgeAfter);
    expect(parseEvent(JSON.parse(JSON.stringify(sut)))).toMatchObject({ ok: true });
    expect(sut).toMatchObject({
      type: CompanyEvents.deleted,
      version: 1,
      companyId,
      purgeAfter: '2027-01-05T10:00:00.000Z',
    });
  });

  it('builds a company.purged that passes its contract', () => {
    const sut = companyPurged(companyId);
    expect(parseEvent(JSON.parse(JSON.stringify(sut)))).toMatchObject({ ok: true });
    expect(sut).toMatchObject({ type: CompanyEvents.purged, version: 1, companyId });
    expect(sut).not.toHaveProperty('purgeAfter');
  });

  it('gives every event its own id', () => {
    expect(companyPurged(companyId).eventId).not.toBe(companyPurged(companyId).eventId);
  });
});
