import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKeyPem } from '@parley/tokens';
import { loadOrCreateSigningKey, parseSigningKey, signingKeyFileName } from './signing-key';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-auth-key-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const rsaPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const p384Pem = () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('loadOrCreateSigningKey', () => {
  it('uses the configured PEM first', async () => {
    const pem = generateSigningKeyPem();
    await expect(loadOrCreateSigningKey({ pem, file: join(dataDir, 'missing.pem'), dataDir, allowGenerate: false })).resolves.toBe(pem);
  });

  it('reads the configured file', async () => {
    const pem = generateSigningKeyPem();
    const file = join(dataDir, 'mounted.pem');
    await writeFile(file, pem);
    await expect(loadOrCreateSigningKey({ file, dataDir, allowGenerate: false })).resolves.toBe(pem);
  });

  it('says which file could not be read', async () => {
    const file = join(dataDir, 'missing.pem');
    await expect(loadOrCreateSigningKey({ file, dataDir, allowGenerate: true })).rejects.toThrow(/AUTH_SIGNING_KEY_FILE.*missing\.pem.*ENOENT/);
  });

  it('generates a key once, persists it with mode 0600, and reuses it', async () => {
    const first = await loadOrCreateSigningKey({ dataDir, allowGenerate: true });
    const file = join(dataDir, signingKeyFileName);
    expect(await readFile(file, 'utf8')).toBe(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    parseSigningKey(first);

    await expect(loadOrCreateSigningKey({ dataDir, allowGenerate: true })).resolves.toBe(first);
    // A production start never signs with the development key it finds there.
    await expect(loadOrCreateSigningKey({ dataDir, allowGenerate: false })).rejects.toThrow(/refusing the development signing key/);
  });

  it('creates the data folder when it does not exist yet', async () => {
    const nested = join(dataDir, 'a', 'b');
    await loadOrCreateSigningKey({ dataDir: nested, allowGenerate: true });
    expect((await stat(join(nested, signingKeyFileName))).isFile()).toBe(true);
  });

  it('refuses to invent a key when generation is not allowed (production)', async () => {
    await expect(loadOrCreateSigningKey({ dataDir, allowGenerate: false })).rejects.toThrow(/AUTH_SIGNING_KEY/);
  });

  it.each([
    ['not a PEM', () => 'hello', /not a PEM private key/],
    ['an RSA key', rsaPem, /must be an EC P-256 private key.*rsa/],
    ['a P-384 key', p384Pem, /must be an EC P-256 private key.*secp384r1/],
  ])('refuses %s with a clear error', async (_case, pem, message) => {
    await expect(loadOrCreateSigningKey({ pem: pem(), dataDir, allowGenerate: true })).rejects.toThrow(message);
  });

  it('refuses a broken persisted key instead of silently replacing it', async () => {
    await writeFile(join(dataDir, signingKeyFileName), 'garbage');
    await expect(loadOrCreateSigningKey({ dataDir, allowGenerate: true })).rejects.toThrow(/auth-signing-key\.pem is not a PEM/);
  });
});
