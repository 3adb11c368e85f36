import type http from 'node:http';
import proxyaddr from 'proxy-addr';

/** TRUST_PROXY as `trustProxy()` parses it: true/false, a hop count, or addresses/subnets/names. */
export type TrustProxySetting = boolean | number | string;

/** Whether the hop at `address`, `hop` steps from the gateway (0 = the TCP peer), is a trusted proxy. */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY compiled exactly as express compiles its `trust proxy` setting: `true` trusts every
 * hop, a number that many hops, a string is a proxy-addr list ("loopback", "10.0.0.0/8",
 * "127.0.0.1, fd00::/8"). Throws on an address or subnet it cannot read.
 */
export function compileTrust(setting: TrustProxySetting): TrustFunction {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(
    setting
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
}

export interface ClientAddresses {
  /** The compiled rule; express is given this same function, so `req.ip` always agrees with `of()`. */
  trust: TrustFunction;
  /**
   * The client's address: the TCP peer, unless the peer is a trusted proxy, in which case the
   * nearest X-Forwarded-For entry that is not itself a trusted proxy. Entries further left are
   * whatever the client wrote and are never read.
   */
  of(req: http.IncomingMessage): string;
  /**
   * The forwarding headers the gateway sends to a service, replacing any the client sent. The
   * services trust exactly one hop (the gateway), so X-Forwarded-For is the one address counted here.
   */
  forwardedHeaders(req: http.IncomingMessage): { 'x-forwarded-for': string; 'x-forwarded-proto': string };
}

/** One client-address rule for the gateway: HTTP requests (through express) and WebSocket upgrades alike. */
export function clientAddresses(setting: TrustProxySetting): ClientAddresses {
  const trust = compileTrust(setting);
  const of = (req: http.IncomingMessage) => (req.socket.remoteAddress === undefined ? 'unknown' : proxyaddr(req, trust));
  return {
    trust,
    of,
    forwardedHeaders(req) {
      const own = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
      // As express's req.protocol: a trusted peer's X-Forwarded-Proto (its first value), else our own.
      const claimed = trust(req.socket.remoteAddress ?? '', 0) ? firstValue(req.headers['x-forwarded-proto']) : undefined;
      return { 'x-forwarded-for': of(req), 'x-forwarded-proto': claimed || own };
    },
  };
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim();
}
