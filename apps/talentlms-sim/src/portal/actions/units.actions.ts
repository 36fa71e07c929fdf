import { PortalStore } from '../../store/portal.store';
import { Params } from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalErrors } from '../portal.errors';
import { PortalActions } from './portal-action';
import { PortalLookups } from './portal-lookups';

/** getusersprogressinunits, gettestanswers, getsurveyanswers, getiltsessions (manual pp. 44-49). */
export class UnitsActions {
  readonly actions: PortalActions = {
    getusersprogressinunits: { run: (params) => this.progress(params) },
    gettestanswers: {
      run: (params) => {
        const unit = this.lookups.unit(params, 'test_id', 'Test');
        const { user, progress } = this.userProgress(params, unit.courseId, unit.progress);
        if (!progress) throw PortalErrors.noTestProgress();
        return this.views.testAnswers(unit, user, progress);
      },
    },
    getsurveyanswers: {
      run: (params) => {
        const unit = this.lookups.unit(params, 'survey_id', 'Survey');
        const { user, progress } = this.userProgress(params, unit.courseId, unit.progress);
        if (!progress) throw PortalErrors.noSurveyProgress();
        return this.views.surveyAnswers(unit, user, progress);
      },
    },
    getiltsessions: {
      run: (params) => this.views.iltSessions(this.lookups.unit(params, 'ilt_id', 'ILT')),
    },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
    private readonly lookups: PortalLookups,
  ) {}

  /**
   * Every user who tried the unit, or (with `user_id`) that user alone, `Not attempted` when
   * enrolled in its course without trying it; a list either way (manual p.44).
   */
  private progress(params: Params) {
    const unit = this.lookups.unit(params, 'unit_id');
    if (params.user_id === undefined) {
      return [...unit.progress.values()].map((p) => this.views.unitProgress(p.userId, p));
    }
    const { user, progress } = this.userProgress(params, unit.courseId, unit.progress);
    return [this.views.unitProgress(user.id, progress)];
  }

  /** The user of `user_id`, enrolled in the unit's course, and their progress in it if any. */
  private userProgress<P>(params: Params, courseId: number, progress: Map<number, P>) {
    const user = this.lookups.user(params);
    const course = this.store.course(courseId);
    if (!course) throw PortalErrors.unitNotFound();
    this.store.enrolment(user, course);
    return { user, progress: progress.get(user.id) };
  }
}
