import { shortName, UserRecord } from './portal.model';

/** Every event type of the API manual's "Timeline events mappings" (gettimeline's event_type). */
export const TIMELINE_EVENT_TYPES = [
  'user_login_user',
  'user_register_user',
  'user_self_register',
  'user_delete_user',
  'user_undelete_user',
  'user_property_change',
  'user_create_payment',
  'user_upgrade_level',
  'user_unlock_badge',
  'course_create_course',
  'course_delete_course',
  'course_undelete_course',
  'course_property_change',
  'course_add_user',
  'course_remove_user',
  'course_completion',
  'course_failure',
  'course_reset_user_progress',
  'branch_create_branch',
  'branch_delete_branch',
  'branch_property_change',
  'branch_add_user',
  'branch_remove_user',
  'branch_add_course',
  'branch_remove_course',
  'group_create_group',
  'group_delete_group',
  'group_property_change',
  'group_add_user',
  'group_remove_user',
  'group_add_course',
  'group_remove_course',
  'certification_issue_certification',
  'certification_refresh_certification',
  'certification_remove_certification',
  'certification_expire_certification',
  'unitprogress_test_completion',
  'unitprogress_test_failed',
  'unitprogress_survey_completion',
  'unitprogress_assignment_answered',
  'unitprogress_assignment_graded',
  'unitprogress_ilt_graded',
  'notification_create_notification',
  'notification_delete_notification',
  'notification_update_notification',
  'automation_create_automation',
  'automation_delete_automation',
  'automation_update_automation',
  'reports_create_custom_report',
  'reports_delete_custom_report',
  'reports_update_custom_report',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** What gettimeline's second argument can name. */
export type TimelineEntity = 'user' | 'course' | 'branch' | 'group';

export interface TimelineEvent {
  action: TimelineEventType;
  /** UTC epoch seconds. */
  at: number;
  /** The user it happened to, as they were then (a later change or deletion does not alter it). */
  user: { id: number; login: string; email: string; fullName: string } | null;
  objectId: number;
  objectName: string;
  message: string;
  /** The records it concerns, for gettimeline's user_id / course_id / branch_id / group_id. */
  about: Partial<Record<TimelineEntity, number>>;
}

/**
 * gettimeline answers the latest 200 entries of a type (API manual). A portal keeps its last
 * 500 events of all types: enough for a test, and a thousand busy portals stay small.
 */
const KEPT = 500;
export const TIMELINE_ANSWERED = 200;

/** A portal's recent events, oldest first, bounded so a busy portal does not grow without end. */
export class Timeline {
  private events: TimelineEvent[] = [];

  record(
    action: TimelineEventType,
    at: number,
    user: UserRecord | null,
    object: { id: number; name: string },
    message: string,
    about: TimelineEvent['about'],
  ): void {
    this.events.push({
      action,
      at,
      user: user && {
        id: user.id,
        login: user.login,
        email: user.email,
        fullName: shortName(user),
      },
      objectId: object.id,
      objectName: object.name,
      message,
      about,
    });
    if (this.events.length > KEPT) this.events.splice(0, this.events.length - KEPT);
  }

  /** The latest entries of that type (and about that record), newest first. */
  latest(action: TimelineEventType, about?: { entity: TimelineEntity; id: number }) {
    const found: TimelineEvent[] = [];
    for (let i = this.events.length - 1; i >= 0 && found.length < TIMELINE_ANSWERED; i--) {
      const event = this.events[i];
      if (event.action !== action) continue;
      if (about && event.about[about.entity] !== about.id) continue;
      found.push(event);
    }
    return found;
  }

  clear(): void {
    this.events = [];
  }
}
