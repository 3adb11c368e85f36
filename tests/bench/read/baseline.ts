import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The read benchmark's baseline: the least an HTTP server on this Node can do per request (a
 * fixed 12-byte JSON answer, keep-alive), in a process of its own like the real services.
 */
const body = JSON.stringify({ hello: 1 });
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send!({ type: 'listening', port: (server.address() as AddressInfo).port }));
process.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
process.on('disconnect', () => process.exit(0));
