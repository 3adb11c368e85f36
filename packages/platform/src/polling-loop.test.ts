import { pollingLoop } from './polling-loop';

/** Passes one at a time; a kick during a pass is one more pass right after it, never a second at once. */
describe('pollingLoop', () => {
  function gatedPasses() {
    const gates: (() => void)[] = [];
    let passes = 0;
    let atOnce = 0;
    let mostAtOnce = 0;
    const pass = async () => {
      passes += 1;
      atOnce += 1;
      mostAtOnce = Math.max(mostAtOnce, atOnce);
      await new Promise<void>((open) => gates.push(open));
      atOnce -= 1;
      return passes;
    };
    return { pass, open: () => gates.shift()?.(), passes: () => passes, mostAtOnce: () => mostAtOnce, waiting: () => gates.length };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('runs one more pass after the one under way when kicked meanwhile, and never two at once', async () => {
    const job = gatedPasses();
    const loop = pollingLoop({ pass: job.pass, pollMs: 3_600_000, failed: () => -1 });
    const first = loop.run();
    loop.kick();
    loop.kick();
    expect(job.passes()).toBe(1);
    job.open();
    expect(await first).toBe(1);
    await settle();
    // The two kicks made one more pass, not two.
    expect(job.passes()).toBe(2);
    job.open();
    await settle();
    expect(job.passes()).toBe(2);
    expect(job.mostAtOnce()).toBe(1);
    await loop.stop();
  });

  it('answers a pass that threw with `failed`, and stop waits for the pass under way', async () => {
    const loop = pollingLoop({
      pass: async () => {
        throw new Error('database away');
      },
      pollMs: 3_600_000,
      failed: (error) => (error as Error).message,
    });
    expect(await loop.run()).toBe('database away');
    await loop.stop();

    const job = gatedPasses();
    const gated = pollingLoop({ pass: job.pass, pollMs: 3_600_000, failed: () => -1 });
    void gated.run();
    let stopped = false;
    const stopping = gated.stop().then(() => (stopped = true));
    gated.kick();
    await settle();
    expect(stopped).toBe(false);
    job.open();
    await stopping;
    expect(job.passes()).toBe(1);
  });
});
