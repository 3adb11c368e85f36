/** What the launcher, scripts and cross-service tests use of the auth service. */
export { createAuthApp, type AuthApp, type AuthDeps } from './app';
export { loadAuthConfig, authConfigSchema, type AuthConfig } from './config';
export { schema, migrations, type AuthDatabase } from './database';
export { seedDemoAccounts, seedDemoSsoKey, demoAccounts, demoSsoKid, demoTotpSecret, type DemoAccount } from './seed';
export { authenticatorApp } from './second-factor/test-codes';
export { totpCode, totpStep } from './second-factor/totp';
export { hashRecoveryCode } from './second-factor/second-factor.service';
export { loadOrCreateSigningKey, signingKeyFileName } from './signing-key';
export { routes } from './routes';
export { createAdmin, createAdminIn, NewAdmin } from './accounts/admins';
export { commentsSiteDirectory, type SiteDirectory, type KnownSite } from './sso/site-directory';
export { commentsClaimSender, type SendClaim } from './imported-authors/imported-author-claims';
export { runSsoKeysCommand, ssoKeysAdminOn, SsoKeysCommand, type SsoKeysAnswer } from './sso/sso-keys-control';
export { runOidcCommand, oidcAdminOn, commandLineRedirectUri, OidcCommand, type OidcAnswer } from './oidc/oidc-control';
