import { buildWidget } from './src/build';
const r = await buildWidget({ outdir: '/tmp/wbuild-digests' });
console.log(r.widgetGzipBytes, r.overBudget);
