import { nonPublicClass } from './address-policy';

/** The host a URL names, as the connector sees it after parsing. */
const hostOf = (text: string) => new URL(text).hostname;

describe(nonPublicClass.name, () => {
  it.each([
    ['https://127.0.0.1', 'loopback'],
    ['https://2130706433', 'loopback'],
    ['https://0x7f000001', 'loopback'],
    ['https://0177.0.0.1', 'loopback'],
    ['https://127.1', 'loopback'],
    ['https://[::1]', 'loopback'],
    ['https://[::ffff:127.0.0.1]', 'loopback'],
    ['https://[0:0:0:0:0:ffff:7f00:1]', 'loopback'],
    ['https://0.0.0.0', 'unspecified'],
    ['https://0', 'unspecified'],
    ['https://[::]', 'unspecified'],
    ['https://10.1.2.3', 'private'],
    ['https://172.16.0.1', 'private'],
    ['https://172.31.255.255', 'private'],
    ['https://192.168.1.1', 'private'],
    ['https://[::ffff:192.168.1.1]', 'private'],
    ['https://169.254.169.254', 'link-local'],
    ['https://[::ffff:a9fe:a9fe]', 'link-local'],
    ['https://[fe80::1]', 'link-local'],
    ['https://[fd00::1]', 'unique-local'],
    ['https://[fc00::1]', 'unique-local'],
    ['https://100.64.0.1', 'shared'],
    ['https://224.0.0.1', 'multicast'],
    ['https://[ff02::1]', 'multicast'],
    ['https://[64:ff9b::7f00:1]', 'reserved'],
    ['https://[2002:7f00:1::]', 'reserved'],
  ])('%s is %s', (url, kind) => {
    expect(nonPublicClass(hostOf(url))).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '52.1.2.3', '2606:4700::1111', '[2a00:1450:4001::200e]'])(
    '%s is public',
    (address) => {
      expect(nonPublicClass(address)).toBeUndefined();
    },
  );

  it('refuses what is not an IP literal rather than guess', () => {
    expect(nonPublicClass('acme.talentlms.com')).toBe('reserved');
  });
});
