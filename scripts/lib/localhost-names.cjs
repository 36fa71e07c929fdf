// Preloaded (`node --require`) into the services `npm start` runs (its demo company's portal
// is `demo.talentlms.localhost`) and those of a TestSystem whose suites use a named simulator
// portal (E2E_SIM_PORTAL): `acme.talentlms.localhost` is the loopback address, as
// curl and browsers answer every `*.localhost` name (RFC 6761), where Node asks the OS, which
// often does not know such names. The product then reaches the portal by host name, the way it
// reaches `acme.talentlms.com`; every other name is looked up as before.
'use strict';
const dns = require('node:dns');

const lookup = dns.lookup;
const LOCALHOST_NAME = /\.localhost\.?$/i;

dns.lookup = function lookupLocalhostNames(hostname, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (typeof options === 'number') options = { family: options };
  if (typeof hostname !== 'string' || !LOCALHOST_NAME.test(hostname)) {
    return lookup.call(this, hostname, options, callback);
  }
  const loopback = { address: '127.0.0.1', family: 4 };
  process.nextTick(() =>
    options && options.all
      ? callback(null, [loopback])
      : callback(null, loopback.address, loopback.family),
  );
};
