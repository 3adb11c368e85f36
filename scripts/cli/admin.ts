import { createInterface } from 'node:readline';
import type { User } from '@parley/contracts';
import { createAdminIn } from '@parley/auth';
import type { Command } from './commands';
import { callRunning, openTarget } from './control';

const help = `Usage: pnpm parley admin create --email EMAIL [--name "DISPLAY NAME"]

Creates an admin account: how a deployment gets its first admin (production
seeds no accounts). The password is asked for twice on a terminal (not shown
as you type), or read from the first line of standard input:

  printf '%s\\n' "$ADMIN_PASSWORD" | pnpm parley admin create --email ops@example.com

It must have at least 10 characters and not be a common password. Works with
DATABASE_URL, on the embedded database, and while pnpm start is running.
`;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** One line typed without echo (a terminal), or the first line of a pipe. */
async function readPassword(prompt: string, output: { err(text: string): void }): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  output.err(prompt);
  const reader = createInterface({ input: process.stdin, terminal: true });
  // Keeps readline from echoing what is typed.
  (reader as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
  const line = await new Promise<string>((resolve) => reader.question('', resolve));
  reader.close();
  output.err('\n');
  return line;
}

export const admin: Command = {
  summary: 'create an admin account (admin create --email …); the password comes from a prompt or stdin',
  async run(args, output) {
    if (args.includes('--help') || args.includes('-h') || args.length === 0) {
      (args.length === 0 ? output.err : output.out)(help);
      return args.length === 0 ? 2 : 0;
    }
    const [action, ...rest] = args;
    const email = option(rest, '--email');
    const displayName = option(rest, '--name');
    if (action !== 'create' || !email) {
      output.err('parley admin: say admin create --email EMAIL; pnpm parley admin --help has the details.\n');
      return 2;
    }
    const password = await readPassword('Password for the new admin: ', output);
    if (process.stdin.isTTY && (await readPassword('Once more: ', output)) !== password) {
      output.err('The two passwords differ; nothing was created.\n');
      return 1;
    }
    const input = { email, password, ...(displayName ? { displayName } : {}) };
    try {
      const target = await openTarget(process.env);
      let user: User;
      if (target.kind === 'running') {
        ({ user } = await callRunning<{ user: User }>(`${target.control.authUrl}/internal/admins`, target.control.token, input));
      } else {
        try {
          user = await createAdminIn(target.source, input);
        } finally {
          await target.close();
        }
      }
      output.out(`Created admin ${user.email} (${user.displayName}). Sign in at /moderate on Parley's own site.\n`);
      return 0;
    } catch (error) {
      const details = (error as { details?: { field: string; message: string }[] }).details;
      const why = Array.isArray(details) && details.length > 0 ? details.map((d) => `${d.field} ${d.message}`).join('; ') : (error as Error).message;
      output.err(`Not created: ${why}.\n`);
      return 1;
    }
  },
};
