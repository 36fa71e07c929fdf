import {
  EnrolmentRequestState,
  HrRequests,
  ListEnrolmentRequestsResponse,
  ListTrainingResponse,
  parseMessage,
  StoreTrainingResponse,
} from '@talentsync/contracts';
import {
  api,
  createCompany,
  Hr,
  newHire,
  rowCounts,
  rpc,
  rpcError,
  startHr,
  TestCompany,
} from './hr-harness';

const UNKNOWN_ID = '6f1d2c3b-8a9e-4c7d-9b1a-0e2f3a4b5c6d';

const progress = (courseId: string, overrides: Record<string, unknown> = {}) => ({
  courseId,
  courseName: `Course ${courseId}`,
  enrolledAt: '2026-11-02T09:00:00.000Z',
  completionStatus: 'incomplete',
  completionPercentage: 40,
  completedAt: null,
  totalTimeSeconds: 600,
  ...overrides,
});

describe('hr-service training', () => {
  let hr: Hr;
  let company: TestCompany;

  beforeAll(async () => {
    hr = await startHr();
    company = await createCompany(hr);
  });
  afterAll(() => hr?.close());

  const hire = async () =>
    (await api(hr, 'POST', `${company.base}/employees`, newHire())).body as { id: string };
  const store = (employees: object[]) =>
    rpc<StoreTrainingResponse>(hr, HrRequests.storeTraining, { companyId: company.id, employees });

  describe(HrRequests.storeTraining, () => {
    it('writes new and changed records only, so a replayed batch writes nothing', async () => {
      const a = await hire();
      const b = await hire();
      const batch = [
        { employeeId: a.id, records: [progress('1'), progress('2')] },
        { employeeId: b.id, records: [progress('1')] },
      ];
      expect(await store(batch)).toEqual({ written: 3, unchanged: 0 });
      expect(await store(batch)).toEqual({ written: 0, unchanged: 3 });
      const done = progress('2', {
        completionStatus: 'completed',
        completionPercentage: 100,
        completedAt: '2026-11-20T10:00:00.000Z',
        totalTimeSeconds: 3600,
      });
      expect(await store([{ employeeId: a.id, records: [progress('1'), done] }])).toEqual({
        written: 1,
        unchanged: 1,
      });

      const { status, body } = await api(hr, 'GET', `${company.base}/employees/${a.id}/training`);
      expect(status).toBe(200);
      expect(body.records).toEqual([
        { ...progress('1'), employeeId: a.id, lastSyncedAt: expect.any(String) },
        { ...done, employeeId: a.id, lastSyncedAt: expect.any(String) },
      ]);
      expect(Date.parse(body.records[1].lastSyncedAt)).toBeGreaterThanOrEqual(
        Date.parse(body.records[0].lastSyncedAt),
      );
    });

    it('writes nothing when one employee is unknown or a course is given twice', async () => {
      const a = await hire();
      const before = await rowCounts(hr);
      const unknown = await rpcError(hr, HrRequests.storeTraining, {
        companyId: company.id,
        employees: [
          { employeeId: a.id, records: [progress('9')] },
          { employeeId: UNKNOWN_ID, records: [progress('9')] },
        ],
      });
      expect(unknown).toMatchObject({ code: 'NOT_FOUND', details: { employeeIds: [UNKNOWN_ID] } });
      const twice = await rpcError(hr, HrRequests.storeTraining, {
        companyId: company.id,
        employees: [{ employeeId: a.id, records: [progress('9'), progress('9')] }],
      });
      expect(twice).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: { 'employees.0.records.1.courseId': expect.any(Array) } },
      });
      const invalid = await rpcError(hr, HrRequests.storeTraining, {
        companyId: company.id,
        employees: [
          {
            employeeId: a.id,
            records: [progress('9', { completionPercentage: 101, totalTimeSeconds: -1 })],
          },
        ],
      });
      expect(Object.keys(invalid.details.fields).sort()).toEqual([
        'employees.0.records.0.completionPercentage',
        'employees.0.records.0.totalTimeSeconds',
      ]);
      expect(await rowCounts(hr)).toEqual(before);
    });
  });

  describe(HrRequests.listTraining, () => {
    it('pages through the stored records by employee and course, or narrows to employees', async () => {
      const a = await hire();
      await store([{ employeeId: a.id, records: [progress('b'), progress('a'), progress('c')] }]);
      const mine = await rpc<ListTrainingResponse>(hr, HrRequests.listTraining, {
        companyId: company.id,
        employeeIds: [a.id],
        pageSize: 2,
      });
      expect(parseMessage(ListTrainingResponse, mine)).toMatchObject({ ok: true });
      expect(mine).toMatchObject({ total: 3, page: 1, pageSize: 2 });
      expect(mine.items.map((r) => r.courseId)).toEqual(['a', 'b']);
      const next = await rpc<ListTrainingResponse>(hr, HrRequests.listTraining, {
        companyId: company.id,
        employeeIds: [a.id],
        page: 2,
        pageSize: 2,
      });
      expect(next.items.map((r) => r.courseId)).toEqual(['c']);
      const all = await rpc<ListTrainingResponse>(hr, HrRequests.listTraining, {
        companyId: company.id,
      });
      expect(all.total).toBeGreaterThanOrEqual(3);
    });
  });

  describe('enrolments from HR', () => {
    it('records a pending request (201), answers it again (200), lists it for the orchestrator, and takes its outcome', async () => {
      const a = await hire();
      const first = await api(hr, 'POST', `${company.base}/employees/${a.id}/training`, {
        courseId: '77',
        courseName: 'Fire drill',
      });
      expect(first).toMatchObject({
        status: 201,
        body: { courseId: '77', status: 'pending', employeeId: a.id },
      });
      const again = await api(hr, 'POST', `${company.base}/employees/${a.id}/training`, {
        courseId: '77',
      });
      expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });

      const pending = await rpc<ListEnrolmentRequestsResponse>(
        hr,
        HrRequests.listEnrolmentRequests,
        { companyId: company.id },
      );
      expect(parseMessage(ListEnrolmentRequestsResponse, pending)).toMatchObject({ ok: true });
      expect(pending.items).toContainEqual({
        id: first.body.id,
        employeeId: a.id,
        courseId: '77',
        courseName: 'Fire drill',
        requestedAt: first.body.requestedAt,
      });

      const sent = await rpc<EnrolmentRequestState>(hr, HrRequests.markEnrolmentRequest, {
        companyId: company.id,
        id: first.body.id,
        outcome: 'sent',
      });
      expect(sent).toMatchObject({ id: first.body.id, status: 'sent', reason: null });
      expect(
        await rpc(hr, HrRequests.markEnrolmentRequest, {
          companyId: company.id,
          id: first.body.id,
          outcome: 'sent',
        }),
      ).toMatchObject({ status: 'sent' });
      expect(
        await rpcError(hr, HrRequests.markEnrolmentRequest, {
          companyId: company.id,
          id: first.body.id,
          outcome: 'failed',
          reason: 'x',
        }),
      ).toMatchObject({ code: 'CONFLICT' });
      const after = await rpc<ListEnrolmentRequestsResponse>(hr, HrRequests.listEnrolmentRequests, {
        companyId: company.id,
      });
      expect(after.items.map((r) => r.id)).not.toContain(first.body.id);

      const shown = await api(hr, 'GET', `${company.base}/employees/${a.id}/training`);
      expect(shown.body.enrolmentRequests).toEqual([
        expect.objectContaining({ id: first.body.id, status: 'sent' }),
      ]);
    });

    it('keeps the reason of a failed enrolment, and needs one', async () => {
      const a = await hire();
      const { body } = await api(hr, 'POST', `${company.base}/employees/${a.id}/training`, {
        courseId: '78',
      });
      const noReason = await rpcError(hr, HrRequests.markEnrolmentRequest, {
        companyId: company.id,
        id: body.id,
        outcome: 'failed',
      });
      expect(noReason).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: { reason: expect.any(Array) } },
      });
      const failed = await rpc(hr, HrRequests.markEnrolmentRequest, {
        companyId: company.id,
        id: body.id,
        outcome: 'failed',
        reason: 'TalentLMS: the course is inactive',
      });
      expect(failed).toMatchObject({
        status: 'failed',
        reason: 'TalentLMS: the course is inactive',
      });
      expect(
        await rpcError(hr, HrRequests.markEnrolmentRequest, {
          companyId: company.id,
          id: UNKNOWN_ID,
          outcome: 'sent',
        }),
      ).toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('refuses enrolments of unknown, terminated or already enrolled employees', async () => {
      expect(
        (
          await api(hr, 'POST', `${company.base}/employees/${UNKNOWN_ID}/training`, {
            courseId: '1',
          })
        ).status,
      ).toBe(404);
      expect(
        (await api(hr, 'GET', `${company.base}/employees/${UNKNOWN_ID}/training`)).status,
      ).toBe(404);
      const leaver = await hire();
      await api(hr, 'POST', `${company.base}/employees/${leaver.id}/terminate`);
      expect(
        (
          await api(hr, 'POST', `${company.base}/employees/${leaver.id}/training`, {
            courseId: '1',
          })
        ).status,
      ).toBe(409);
      const enrolled = await hire();
      await store([{ employeeId: enrolled.id, records: [progress('5')] }]);
      expect(
        (
          await api(hr, 'POST', `${company.base}/employees/${enrolled.id}/training`, {
            courseId: '5',
          })
        ).status,
      ).toBe(409);
    });
  });
});
