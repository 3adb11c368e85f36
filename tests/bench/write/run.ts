import { machine, markdownTable, writeResult } from '../lib';
import { cpuSpent, freshDatabase, newSite, processCpu, quick, runLoad, startServiceProcesses, versions } from '../common';

/**
 * Write path, through the gateway with real tokens from auth:
 * - POST a comment at concurrency 20 (autocannon, 20 connections), every request by one of many
 *   registered users in turn, all into one article (a busy discussion: posts to one article
 *   serialize on its row lock, which numbers its events). Rate limits are lifted.
 * - Login (argon2id verify, OWASP parameters) at concurrency 4, distinct accounts in turn.
 *
 *   tsx tests/bench/write/run.ts [--quick]
 */
const users = quick ? 8 : 60;
const postSeconds = quick ? 2 : 10;
const logins = quick ? 12 : 200;
const password = 'bench-password-1234';

async function main(): Promise<void> {
  const db = await freshDatabase();
  const stack = await startServiceProcesses(db.source);
  try {
    const site = await newSite(db.source, 'bench-write');
    const gateway = stack.urls.gateway;
    const json = { 'content-type': 'application/json' };

    // Accounts, 4 registrations at a time (each one is an argon2 hash).
    const accounts: { email: string; token: string }[] = [];
    for (let i = 0; i < users; i += 4) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(4, users - i) }, async (_, j) => {
          const email = `bench-writer-${i + j}@example.com`;
          const res = await fetch(`${gateway}/auth/register`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ email, password, displayName: `Writer ${i + j}` }),
          });
          if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
          return { email, token: ((await res.json()) as { accessToken: string }).accessToken };
        }),
      );
      accounts.push(...batch);
    }

    const postJob = {
      url: `${gateway}/api/sites/${site}/articles/busy-discussion/comments`,
      method: 'POST' as const,
      connections: 20,
      headers: json,
      body: JSON.stringify({ body: 'A benchmark comment: **markdown** and a [link](https://example.com/ferry), rendered on the server.' }),
      rotate: accounts.map((a) => ({ headers: { authorization: `Bearer ${a.token}` } })),
    };
    if (!quick) await runLoad({ ...postJob, duration: 1 });
    const cpuBefore = processCpu(stack);
    const post = await runLoad({ ...postJob, duration: postSeconds });
    const postCpu = cpuSpent(cpuBefore, processCpu(stack), post.loadCpuSeconds);
    const login = await runLoad({
      url: `${gateway}/auth/login`,
      method: 'POST',
      connections: 4,
      amount: logins,
      headers: json,
      rotate: accounts.map((a) => ({ body: JSON.stringify({ email: a.email, password }) })),
    });

    const result = {
      benchmark: 'write',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: await versions(db.source),
      database: db.label,
      topology: stack.topology,
      settings: { users, postConnections: 20, postSeconds, loginConnections: 4, logins, argon2: 'argon2id m=19456 KiB t=2 p=1' },
      post,
      postCpuSeconds: postCpu,
      login,
    };
    const file = writeResult('write', result);
    console.log(`\nWrite path through the gateway (${db.label}; ${users} users; latency in ms)\n`);
    console.log(
      markdownTable(
        ['operation', 'concurrency', 'requests', 'req/s', 'p50', 'p99', 'max', 'non-2xx/errors'],
        [
          ['POST comment (one article)', 20, post.requests, post.reqPerSec, post.latency.p50, post.latency.p99, post.latency.max, post.non2xx + post.errors],
          ['login (argon2id verify)', 4, login.requests, login.reqPerSec, login.latency.p50, login.latency.p99, login.latency.max, login.non2xx + login.errors],
        ],
      ),
    );
    console.log(`\nCPU seconds during the POST run (${postSeconds} s): ${Object.entries(postCpu).map(([name, seconds]) => `${name} ${seconds}`).join(', ')}`);
    console.log(`\nwritten to ${file}`);
  } finally {
    await stack.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
