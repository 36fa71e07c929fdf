import { SSN_PORTALS_KEPT, SsnPortals } from './ssn-portals';

describe(SsnPortals.name, () => {
  it('reads an unknown portal at once (fields and employee together)', () => {
    expect(new SsnPortals().fieldsFirst('acme.talentlms.com')).toBe(false);
  });

  it('reads the fields first for a portal whose fields had an ssn field, until they have none', () => {
    const portals = new SsnPortals();
    portals.note('acme.talentlms.com', true);
    expect(portals.fieldsFirst('acme.talentlms.com')).toBe(true);
    expect(portals.fieldsFirst('other.talentlms.com')).toBe(false);

    portals.note('acme.talentlms.com', false);
    expect(portals.fieldsFirst('acme.talentlms.com')).toBe(false);
  });

  it('keeps a bounded memory: past it, it starts again', () => {
    const portals = new SsnPortals();
    for (let i = 0; i < SSN_PORTALS_KEPT; i += 1) portals.note(`p${i}`, true);
    expect(portals.fieldsFirst('p0')).toBe(true);

    portals.note('one-more', true);

    expect(portals.fieldsFirst('p0')).toBe(false);
    expect(portals.fieldsFirst('one-more')).toBe(true);
  });
});
