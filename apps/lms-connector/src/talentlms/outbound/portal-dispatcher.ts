import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector, Dispatcher } from 'undici';
import { AddressClass, nonPublicClass } from './address-policy';
import { AppError, LmsErrorCodes } from '@talentsync/contracts';

/** A connection refused before it was made: the portal's address is not a public one. */
export class AddressNotAllowedError extends AppError {
  constructor(readonly addressClass: AddressClass) {
    super(
      LmsErrorCodes.addressNotAllowed,
      `the portal's address is ${addressClass}, not a public internet address`,
    );
    this.name = 'AddressNotAllowedError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * dns.lookup that refuses a name when any of its addresses is not public. Sockets connect to
 * the address this returns, so what was checked is what is connected to: a DNS answer that
 * changes between a check and the connect (rebinding) cannot slip through.
 */
const guardedLookup =
  (resolve: Resolver) => (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0) {
        return callback(
          Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
          [],
        );
      }
      const refused = addresses.map((a) => nonPublicClass(a.address)).find(Boolean);
      if (refused) return callback(new AddressNotAllowedError(refused), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };

/** dns.lookup with `all: true` (tests put a resolver of their own in its place). */
export type Resolver = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * The HTTP agent every portal call goes through. Unless `allowPrivateAddresses` (the
 * simulator, tests), a connection is made only to public addresses: IP literals are checked
 * before connecting (the OS would not look them up), names through the guarded lookup. Every
 * connection is checked, so a redirect's target is too.
 */
export function portalDispatcher({
  allowPrivateAddresses,
  resolve = dnsLookup,
}: {
  allowPrivateAddresses: boolean;
  resolve?: Resolver;
}): Dispatcher {
  if (allowPrivateAddresses) return new Agent();
  const connectTo = buildConnector({ lookup: guardedLookup(resolve) });
  const connect: buildConnector.connector = (options, callback) => {
    const literal = options.hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(literal) ? nonPublicClass(literal) : undefined;
    if (refused) return callback(new AddressNotAllowedError(refused), null);
    return connectTo(options, callback);
  };
  return new Agent({ connect });
}
