/** What the launcher, scripts and cross-service tests use of the gateway. */
export { createGatewayApp, type GatewayApp, type GatewayDeps } from './app';
export { loadGatewayConfig, gatewayConfigSchema, type GatewayConfig } from './config';
export { routes } from './routes';
