import { resolve } from 'node:path';
import { buildWidget, formatSizes } from './src/build';

/** `pnpm --filter @parley/widget build`: dist/embed.js and dist/widget/*, then the size budget check. */
async function main(): Promise<void> {
  const outdir = resolve(__dirname, 'dist');
  const result = await buildWidget({ outdir });
  console.log(`Built into ${outdir}\n\n${formatSizes(result)}`);
  if (result.overBudget.length) {
    console.error(`\nOver budget:\n  ${result.overBudget.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
