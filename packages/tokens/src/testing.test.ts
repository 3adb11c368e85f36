import { createTokenVerifier } from './verifier';
import { createTestTokens, testAudience, testIssuer } from './testing';

describe('createTestTokens', () => {
  it('signs tokens its verifier, and any verifier given its keys, accept', async () => {
    const tokens = createTestTokens();
    const token = tokens.sign({ sub: '0b5c3b8e-8a43-4f4e-9d6f-3f9c1c1b2a77', role: 'admin' });
    expect(await tokens.verifier.verify(token)).toMatchObject({ role: 'admin', iss: testIssuer, aud: testAudience });
    const other = createTokenVerifier({ issuer: testIssuer, audience: testAudience, keys: tokens.keys });
    expect(await other.verify(token)).toMatchObject({ role: 'admin' });
  });

  it('builds the bad tokens tests need: expired, wrong audience, a claim left out', async () => {
    const { sign, verifier } = createTestTokens();
    const sub = '0b5c3b8e-8a43-4f4e-9d6f-3f9c1c1b2a77';
    await expect(verifier.verify(sign({ sub }, { expiresInSeconds: -1 }))).rejects.toMatchObject({ code: 'token_expired' });
    await expect(verifier.verify(sign({ sub, aud: 'elsewhere' }))).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(verifier.verify(sign({ sub, name: undefined }))).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'The access token is missing required claims.',
    });
  });
});
