import { DEFAULT_USER_TYPE } from '../../store/portal-seed';
import { DEFAULT_LANGUAGE } from '../../store/portal-language';
import { STATUSES } from '../../store/portal.model';
import { PortalStore, UserChanges } from '../../store/portal.store';
import {
  customFieldValues,
  email,
  language,
  oneOf,
  onOff,
  optionalCount,
  optionalText,
  Params,
  password,
  portalDate,
  required,
  requiredId,
} from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalErrors } from '../portal.errors';
import { operationCompleted, PortalActions, singleRecordEndpoint } from './portal-action';
import { PortalLookups } from './portal-lookups';

/**
 * users, usersignup, edituser, usersetstatus, deleteuser, getcustomregistrationfields,
 * userlogin, userlogout, isuseronline, forgotusername, forgotpassword, getusersbycustomfield.
 */
export class UsersActions {
  readonly actions: PortalActions = {
    users: {
      endpoint: singleRecordEndpoint('users', ['id', 'email', 'username']),
      run: (params) => this.users(params),
    },
    usersignup: { postOnly: true, run: (params) => this.signup(params) },
    edituser: { postOnly: true, run: (params) => this.edit(params) },
    usersetstatus: { run: (params) => this.setStatus(params) },
    deleteuser: { postOnly: true, run: (params) => this.delete(params) },
    getcustomregistrationfields: {
      run: () => this.views.customFields(this.store.customFields),
    },
    userlogin: { postOnly: true, run: (params) => this.login(params) },
    userlogout: { postOnly: true, run: (params) => this.logout(params) },
    isuseronline: {
      run: (params) => ({ online: this.store.online.has(this.lookups.user(params).id) }),
    },
    forgotusername: { run: (params) => ({ user_id: String(this.byEmail(params, 'email').id) }) },
    forgotpassword: {
      run: (params) => ({ user_id: String(this.byLogin(params, 'username').id) }),
    },
    getusersbycustomfield: { run: (params) => this.byCustomField(params) },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
    private readonly lookups: PortalLookups,
  ) {}

  private byEmail(params: Params, name: string) {
    const user = this.store.userByEmail(required(params, name));
    if (!user) throw PortalErrors.userNotFound();
    return user;
  }

  private byLogin(params: Params, name: string) {
    const user = this.store.userByLogin(required(params, name));
    if (!user) throw PortalErrors.userNotFound();
    return user;
  }

  /**
   * userlogin: a one-time login URL for an active user whose password matches (a user with no
   * known password, e.g. seeded without one, takes any). Marks the user online.
   */
  private login(params: Params) {
    const login = required(params, 'login');
    const given = required(params, 'password');
    const user = this.store.userByLogin(login);
    if (!user || (user.password !== undefined && user.password !== given)) {
      throw PortalErrors.wrongLogin();
    }
    if (user.status !== 'active') throw PortalErrors.inactiveAccount();
    this.store.loggedIn(user);
    return { user_id: String(user.id), login_key: this.views.oneTimeUrl('autologin') };
  }

  private logout(params: Params) {
    const user = this.lookups.user(params);
    this.store.online.delete(user.id);
    return { redirect_url: this.views.logoutUrl(params.next ?? '') };
  }

  /** Every user with that value in one of their custom fields, keyed by id (PHP's assoc array). */
  private byCustomField(params: Params) {
    const value = required(params, 'custom_field_value');
    const matches = this.store.users.filter((user) =>
      Object.values(user.customFields).some((v) => v === value),
    );
    return matches.length === 0
      ? []
      : Object.fromEntries(matches.map((user) => [String(user.id), this.views.user(user)]));
  }

  /** One user by id, email or username; else the list, paged with page_size/page_number. */
  private users(params: Params) {
    if (params.id !== undefined) return this.views.userDetail(this.lookups.user(params, 'id'));
    if (params.email !== undefined) return this.views.userDetail(this.byEmail(params, 'email'));
    if (params.username !== undefined) {
      return this.views.userDetail(this.byLogin(params, 'username'));
    }
    if (params.page_size === undefined) return this.views.users(this.store.users);
    const size = requiredId(params, 'page_size');
    const page = optionalCount(params, 'page_number', 1);
    const start = (page - 1) * size;
    return this.views.users(this.store.users.slice(start, start + size));
  }

  /** Everything is checked before the user is created: a refused signup leaves no trace. */
  private signup(params: Params) {
    const firstName = required(params, 'first_name');
    const lastName = required(params, 'last_name');
    const mail = email(params, 'email');
    const login = required(params, 'login');
    const secret = password(params, 'password', this.store.site.strongPasswords);
    const lang = params.language === undefined ? DEFAULT_LANGUAGE : language(params, 'language');
    const branch = params.branch_id === undefined ? undefined : this.lookups.branch(params);
    const site = this.store.site;
    const customFields = customFieldValues(params, this.store.customFields, site.dateFormat, {
      mandatory: true,
    });
    const user = this.store.createUser({
      login,
      firstName,
      lastName,
      email: mail,
      userType: optionalText(params, 'user_type') ?? DEFAULT_USER_TYPE,
      status: 'active',
      language: lang,
      timezone: optionalText(params, 'timezone') ?? site.timezone,
      deactivationDate: null,
      bio: null,
      level: 1,
      points: 0,
      restrictEmail: onOff(params, 'restrict_email') ?? false,
      customFields: Object.fromEntries(customFields),
      password: secret,
    });
    if (branch) this.store.addToBranch(user, branch);
    return this.views.user(user);
  }

  private edit(params: Params) {
    const user = this.lookups.user(params);
    const format = this.store.site.dateFormat;
    const changes: UserChanges = {
      password:
        params.password === undefined
          ? undefined
          : password(params, 'password', this.store.site.strongPasswords),
      firstName: optionalText(params, 'first_name'),
      lastName: optionalText(params, 'last_name'),
      email: params.email === undefined ? undefined : email(params, 'email'),
      login: optionalText(params, 'login'),
      timezone: optionalText(params, 'timezone'),
      language: params.language === undefined ? undefined : language(params, 'language'),
      restrictEmail: onOff(params, 'restrict_email'),
      bio: params.bio,
      customFields: customFieldValues(params, this.store.customFields, format, {
        mandatory: false,
      }),
    };
    if (params.deactivation_date !== undefined) {
      const blank = params.deactivation_date.trim() === '';
      if (!blank && user.status !== 'active') {
        throw PortalErrors.invalidValue('deactivation_date', 'can be set only for an active user');
      }
      changes.deactivationDate = blank ? null : portalDate(params, 'deactivation_date', format);
    }
    for (const key of Object.keys(changes) as (keyof UserChanges)[]) {
      if (changes[key] === undefined) delete changes[key];
    }
    this.store.updateUser(user, changes);
    return this.views.user(user);
  }

  private setStatus(params: Params) {
    const user = this.lookups.user(params);
    const status = oneOf(params, 'status', STATUSES);
    this.store.updateUser(user, { status });
    return { user_id: String(user.id), status };
  }

  private delete(params: Params) {
    const user = this.lookups.user(params);
    this.lookups.checkDeleter(params);
    if (params.permanent !== undefined) oneOf(params, 'permanent', ['yes', 'no']);
    this.store.deleteUser(user);
    return operationCompleted();
  }
}
