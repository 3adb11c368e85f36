import express from 'express';
import { CommentParams, ReportRequest } from '@parley/contracts';
import { validated } from '@parley/platform';
import { authenticate, type TokenVerifier } from '@parley/tokens';
import type { ReportsService } from './reports.service';

export function reportsRoutes(reports: ReportsService, tokenVerifier: TokenVerifier): express.Router {
  const router = express.Router();
  router.post(
    '/comments/:id/reports',
    authenticate(tokenVerifier, 'required'),
    validated({ params: CommentParams, body: ReportRequest }, async ({ params, body }, req, res) => {
      res.status(201).json(await reports.report(req.viewer!, params.id, body));
    }),
  );
  return router;
}
