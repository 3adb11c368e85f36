import { z } from 'zod';

export const HealthResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  service: z.string(),
  checks: z.record(z.string(), z.enum(['ok', 'failed'])).optional(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
