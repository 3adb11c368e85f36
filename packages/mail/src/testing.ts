import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as a real SMTP server received it, parsed. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  /** Header value by lowercased name, as text. */
  header(name: string): string | undefined;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: what SMTP_URL would be. */
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Resolves with the first received mail (now or later) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Takes the server down (connections refused) … */
  stop(): Promise<void>;
  /** … and back up on the same port, keeping what it received. */
  start(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on a free loopback port, for tests: no auth, no
 * TLS, every message parsed with mailparser.
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters: { match: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }[] = [];
  let server: SMTPServer | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const instance = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          simpleParser(stream)
            .then((parsed) => {
              const mail: ReceivedMail = {
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                },
                parsed,
                header(name) {
                  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase());
                  return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : undefined;
                },
              };
              received.push(mail);
              for (const waiter of [...waiters]) {
                if (waiter.match(mail)) {
                  waiters.splice(waiters.indexOf(waiter), 1);
                  waiter.resolve(mail);
                }
              }
              callback();
            })
            .catch((error: Error) => callback(error));
        },
      });
      instance.on('error', () => {});
      instance.server.once('error', reject);
      instance.listen(port, '127.0.0.1', () => {
        port = (instance.server.address() as AddressInfo).port;
        server = instance;
        resolve();
      });
    });

  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    received,
    waitFor(match, timeoutMs = 10_000) {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching mail within ${timeoutMs} ms (received ${received.length})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async stop() {
      const instance = server;
      server = undefined;
      if (instance) await new Promise<void>((resolve) => instance.close(() => resolve()));
    },
    start: listen,
  };
}
