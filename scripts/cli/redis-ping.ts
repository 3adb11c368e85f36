import net from 'node:net';
import tls from 'node:tls';

/**
 * One PING to a Redis server over a plain socket (TLS for rediss://), with AUTH first when the URL
 * carries a password. Resolves with Redis's first reply line (`+PONG`, `-NOAUTH …`) or rejects with
 * the socket error (ECONNREFUSED, a timeout…). Enough to tell "reachable and answering" apart from
 * the usual mistakes without a client library.
 */
export function pingRedis(url: URL, timeoutMs = 2000): Promise<string> {
  const port = Number(url.port || 6379);
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const commands: string[][] = [];
  const password = decodeURIComponent(url.password);
  if (password) commands.push(url.username ? ['AUTH', decodeURIComponent(url.username), password] : ['AUTH', password]);
  commands.push(['PING']);
  const request = commands.map((words) => `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`).join('');

  return new Promise((resolve, reject) => {
    const socket = url.protocol === 'rediss:' ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    const replies: string[] = [];
    let buffer = '';
    const finish = (error: Error | undefined, reply?: string) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    socket.setTimeout(timeoutMs, () => finish(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        replies.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
      // An error stops there (a failed AUTH makes the PING meaningless); otherwise wait for every reply.
      const failed = replies.find((reply) => reply.startsWith('-'));
      if (failed) finish(undefined, failed);
      else if (replies.length >= commands.length) finish(undefined, replies.at(-1));
    });
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error('the connection closed before Redis answered')));
  });
}
