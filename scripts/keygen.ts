import { generateSigningKeyPem } from '@parley/tokens';

/** `pnpm keygen > secrets/auth-signing-key.pem`: a fresh P-256 private key for access tokens. */
process.stdout.write(generateSigningKeyPem());
