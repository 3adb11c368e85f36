import { loadGatewayConfig } from './config';

describe('loadGatewayConfig', () => {
  it('trusts no proxy, caps live sockets per address, keeps metrics on 127.0.0.1 and cuts slow clients, by default', () => {
    expect(loadGatewayConfig({})).toMatchObject({
      trustProxy: false,
      maxSocketsPerAddress: 50,
      metrics: { port: 9400, host: '127.0.0.1' },
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    });
  });

  it('reads every form of TRUST_PROXY express knows', () => {
    expect(loadGatewayConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadGatewayConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadGatewayConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).trustProxy).toBe('loopback, 10.0.0.0/8, fd00::/8');
    expect(() => loadGatewayConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY: must be true, false, a hop count/);
  });

  it('refuses a headers timeout longer than the request timeout, naming both', () => {
    expect(() => loadGatewayConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS/,
    );
    expect(() => loadGatewayConfig({ LIVE_MAX_SOCKETS_PER_ADDRESS: '0' })).toThrow(/LIVE_MAX_SOCKETS_PER_ADDRESS/);
  });
});
