import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeyPem } from '@parley/tokens';

export const signingKeyFileName = 'auth-signing-key.pem';

export interface SigningKeyOptions {
  /** PEM given directly (AUTH_SIGNING_KEY). */
  pem?: string;
  /** A file holding the PEM (AUTH_SIGNING_KEY_FILE), e.g. a mounted secret. */
  file?: string;
  /** Where a generated key is kept (PARLEY_DATA_DIR). */
  dataDir: string;
  /** Only embedded/dev mode may invent a key; production must be given one. */
  allowGenerate: boolean;
}

/**
 * Finds the access-token signing key: the configured PEM, else the configured file, else (dev and
 * embedded mode only) a key generated on first start and kept in the data folder, so tokens and
 * the JWKS stay valid across restarts. Whatever is found is checked to be a P-256 private key.
 */
export async function loadOrCreateSigningKey(options: SigningKeyOptions): Promise<string> {
  if (options.pem) return checked(options.pem, 'AUTH_SIGNING_KEY');
  if (options.file) return checked(await readKeyFile(options.file, 'AUTH_SIGNING_KEY_FILE'), `AUTH_SIGNING_KEY_FILE (${options.file})`);

  const persisted = join(options.dataDir, signingKeyFileName);
  const existing = await readFile(persisted, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return checked(existing, persisted);

  if (!options.allowGenerate) {
    throw new Error(
      'auth: no signing key. Set AUTH_SIGNING_KEY (a P-256 private key in PEM) or AUTH_SIGNING_KEY_FILE; ' +
        'keys are only generated outside production.',
    );
  }
  const pem = generateSigningKeyPem();
  await mkdir(options.dataDir, { recursive: true });
  // "wx": if another process created the file meanwhile, fail instead of overwriting its key.
  try {
    await writeFile(persisted, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return checked(await readFile(persisted, 'utf8'), persisted);
  }
  return pem;
}

/** Parses a PEM into a key object, refusing anything but a P-256 (ES256) private key. */
export function parseSigningKey(pem: string, source = 'the signing key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`auth: ${source} is not a PEM private key. Generate one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`auth: ${source} must be an EC P-256 private key (ES256), not ${describe(key)}.`);
  }
  return key;
}

function checked(pem: string, source: string): string {
  parseSigningKey(pem, source);
  return pem;
}

async function readKeyFile(file: string, source: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`auth: cannot read ${source} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function describe(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve ? `${key.asymmetricKeyType} ${curve}` : `${key.asymmetricKeyType}`;
}
