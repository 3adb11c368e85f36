import type http from 'node:http';
import { clientAddresses, compileTrust } from './client-address';

/** A request as it reaches the gateway: the TCP peer and whatever X-Forwarded-* it carries. */
function arriving(peer: string, headers: http.IncomingHttpHeaders = {}): http.IncomingMessage {
  const socket = { remoteAddress: peer };
  return { socket, connection: socket, headers } as unknown as http.IncomingMessage;
}

const chain = '198.51.100.1, 203.0.113.7, 10.0.0.5';

describe('the client address', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddresses(false).of(arriving('192.0.2.10', { 'x-forwarded-for': chain }))).toBe('192.0.2.10');
  });

  it('is the nearest untrusted hop with a list of proxies, never an entry further left', () => {
    const behindLoopback = clientAddresses('loopback');
    expect(behindLoopback.of(arriving('127.0.0.1', { 'x-forwarded-for': chain }))).toBe('10.0.0.5');
    const behindPrivate = clientAddresses('loopback, 10.0.0.0/8');
    expect(behindPrivate.of(arriving('127.0.0.1', { 'x-forwarded-for': chain }))).toBe('203.0.113.7');
    // A peer outside the list is the client, even if it sends the header.
    expect(behindPrivate.of(arriving('192.0.2.10', { 'x-forwarded-for': chain }))).toBe('192.0.2.10');
  });

  it('walks exactly as many hops as a count says', () => {
    expect(clientAddresses(1).of(arriving('192.0.2.10', { 'x-forwarded-for': chain }))).toBe('10.0.0.5');
    expect(clientAddresses(2).of(arriving('192.0.2.10', { 'x-forwarded-for': chain }))).toBe('203.0.113.7');
  });

  it('is the leftmost entry only when every hop is trusted (true)', () => {
    expect(clientAddresses(true).of(arriving('192.0.2.10', { 'x-forwarded-for': chain }))).toBe('198.51.100.1');
  });

  it('compiles like express, and refuses what proxy-addr cannot read', () => {
    expect(compileTrust('uniquelocal')('fd00::1', 0)).toBe(true);
    expect(compileTrust('uniquelocal')('2001:db8::1', 0)).toBe(false);
    expect(() => compileTrust('the load balancer')).toThrow();
  });
});

describe('the forwarding headers sent to the services', () => {
  it('name the counted client alone, and keep a claimed protocol only from a trusted peer', () => {
    const request = arriving('127.0.0.1', { 'x-forwarded-for': chain, 'x-forwarded-proto': 'https, http' });
    expect(clientAddresses('loopback').forwardedHeaders(request)).toEqual({ 'x-forwarded-for': '10.0.0.5', 'x-forwarded-proto': 'https' });
    expect(clientAddresses(false).forwardedHeaders(request)).toEqual({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' });
  });
});
