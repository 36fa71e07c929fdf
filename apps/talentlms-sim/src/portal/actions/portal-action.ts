import type { Params } from '../portal-params';

/** One portal API action. */
export interface PortalAction {
  /** Answers GET with 400 (usersignup, edituser, deleteuser, addusertocourse). */
  postOnly?: boolean;
  /** Key of the call counts when it is not the action (`users/id`, ...). */
  endpoint?: (params: Params) => string;
  /** Runs the action: the answer (serialised as the portal does), or throws a PortalError. */
  run: (params: Params) => unknown;
}

export type PortalActions = Record<string, PortalAction>;

/** `users` -> `users/id` etc. for the single-record forms of a listing action. */
export function singleRecordEndpoint(action: string, keys: string[]) {
  return (params: Params) => {
    const key = keys.find((k) => params[k] !== undefined);
    return key ? `${action}/${key}` : action;
  };
}

/** The manual's answer to a delete or reset that worked. */
export const operationCompleted = () => ({ message: 'Operation completed successfully' });
