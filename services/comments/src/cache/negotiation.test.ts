import { chooseEncoding, matchesVersion } from './negotiation';

describe('chooseEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['deflate', 'identity'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['BR, GZIP', 'br'],
    ['*', 'br'],
    ['*;q=0.1, gzip;q=0.5', 'gzip'],
    ['identity;q=0, *;q=0', 'identity'],
    ['br;q=nonsense, gzip', 'gzip'],
  ] as const)('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
    // The second answer comes from the table of headers already seen: the same.
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('matchesVersion', () => {
  const etags = ['"7-abc-br"', '"7-abc-gz"', '"7-abc-id"'];
  it('matches any encoding of the version, weak or strong, in a list, or *', () => {
    expect(matchesVersion('"7-abc-gz"', etags)).toBe(true);
    expect(matchesVersion('W/"7-abc-br"', etags)).toBe(true);
    expect(matchesVersion('"6-xyz-br", "7-abc-id"', etags)).toBe(true);
    expect(matchesVersion('*', etags)).toBe(true);
  });
  it('does not match another version or nothing', () => {
    expect(matchesVersion('"6-abc-br"', etags)).toBe(false);
    expect(matchesVersion(undefined, etags)).toBe(false);
    expect(matchesVersion('', etags)).toBe(false);
  });
});
