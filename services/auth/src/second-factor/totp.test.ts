import { base32Decode, base32Encode, matchTotp, otpauthUri, totpCode, totpStep } from './totp';

// RFC 6238 appendix B (SHA-1): the secret is the ASCII "12345678901234567890"; its codes have 8
// digits, of which a 6-digit code is the last six.
const rfcSecret = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP (RFC 6238)', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('matches the RFC test vector at T=%i', (seconds, code) => {
    expect(totpCode(rfcSecret, totpStep(new Date(seconds * 1000)))).toBe(code);
  });

  it('accepts one step either side of now and says which, nothing further, and only six digits', () => {
    const now = new Date(1111111111 * 1000);
    const step = totpStep(now);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, step - 1), now)).toBe(step - 1);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, step + 1), now)).toBe(step + 1);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, step - 2), now)).toBeUndefined();
    expect(matchTotp(rfcSecret, ' 050 471 ', now)).toBe(step);
    expect(matchTotp(rfcSecret, '50471', now)).toBeUndefined();
    expect(matchTotp(rfcSecret, 'abcdef', now)).toBeUndefined();
  });

  it('round-trips base32 and writes the otpauth URI apps read', () => {
    expect(base32Decode(base32Encode(Buffer.from('any bytes at all')))).toEqual(Buffer.from('any bytes at all'));
    expect(otpauthUri('ABC', 'a@example.com', 'Parley')).toBe('otpauth://totp/Parley%3Aa%40example.com?secret=ABC&issuer=Parley&algorithm=SHA1&digits=6&period=30');
  });
});
