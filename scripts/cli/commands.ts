import { admin } from './admin';
import { doctor } from './doctor';
import { exportCommand } from './export';
import { importCommand } from './import';
import { sites } from './sites';

/**
 * `pnpm parley <command>`: the table of subcommands. A command is one file in this folder exporting
 * a `Command`; add it here and it is dispatched and listed in `pnpm parley --help`.
 */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Whether `out` is a terminal (colours, ✓/✗ in colour). */
  terminal: boolean;
}

export interface Command {
  /** One line for `pnpm parley --help`. */
  summary: string;
  /** Resolves with the exit code. */
  run(args: string[], output: Output): Promise<number>;
}

export const commands: Record<string, Command> = {
  admin,
  doctor,
  export: exportCommand,
  import: importCommand,
  sites,
};

/** Exit codes: what the command returns; 2 for a command that doesn't exist or no command at all. */
export async function runCli(argv: string[], output: Output): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? output.err : output.out)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    output.err(`parley: unknown command "${name}"; pnpm parley --help lists the commands.\n`);
    return 2;
  }
  return command.run(args, output);
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}   ${command.summary}`);
  return `Usage: pnpm parley <command> [options]\n\nCommands:\n${lines.join('\n')}\n\npnpm parley <command> --help tells more about one.\n`;
}
