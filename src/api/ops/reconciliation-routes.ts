import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { Router } from 'express';
import { z } from 'zod';
import type { ReconciliationFinding } from '../../db/entities/reconciliation-finding';
import type { ReconciliationRun } from '../../db/entities/reconciliation-run';
import { findReconciliation } from '../../db/repositories/reconciliation';
import { isCalendarDate } from '../../domain/calendar';
import { RECONCILIATION_WORKFLOW_TYPE, reconciliationWorkflowId } from '../../../workflows/reconciliation/contract';
import type { reconciliationWorkflow } from '../../../workflows/reconciliation/workflow';
import { HttpError, parseOrThrow } from '../http-error';
import { requireRole } from './operator-auth';
import { DATE_RANGE_MESSAGE, withinDateRange } from '../date-range';

/** What the reconciliation routes need. */
export interface ReconciliationRouteDeps {
  orm: MikroORM;
  temporal: Client;
  taskQueue: string;
}

const businessDateSchema = z
  .string()
  .refine(isCalendarDate, 'must be a real date YYYY-MM-DD')
  .refine(withinDateRange, DATE_RANGE_MESSAGE);

function runView(run: ReconciliationRun) {
  return {
    businessDate: run.businessDate,
    workflowId: run.workflowId,
    completedAt: run.completedAt.toISOString(),
    counts: {
      MATCHED: run.matchedCount,
      MISSING_AT_PARTNER: run.missingAtPartnerCount,
      MISSING_AT_US: run.missingAtUsCount,
      AMOUNT_MISMATCH: run.amountMismatchCount,
      STATUS_MISMATCH: run.statusMismatchCount,
      DATE_MISMATCH: run.dateMismatchCount,
      DUPLICATE: run.duplicateCount,
    },
  };
}

function findingView(f: ReconciliationFinding) {
  const { side, category, kind, reference, partnerReference, ourAmountFen, partnerAmountFen } = f;
  const { ourStatus, partnerStatus, detail } = f;
  return {
    side,
    category,
    kind,
    reference,
    partnerReference,
    ourAmountFen,
    partnerAmountFen,
    ourStatus,
    partnerStatus,
    detail,
  };
}

/** `/ops/reconciliation`: a date's run summary and findings; start (or join) a date's run. Behind operator auth. */
export function reconciliationRoutes({ orm, temporal, taskQueue }: ReconciliationRouteDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { date } = parseOrThrow(z.object({ date: businessDateSchema }), req.query, 'query');
    const result = await findReconciliation(orm.em.fork(), date);
    if (result === null) throw new HttpError(404, 'NOT_RECONCILED', `${date} has not been reconciled`);
    res.json({ run: runView(result.run), findings: result.findings.map(findingView) });
  });

  router.post('/:date/run', requireRole('operator', 'finance'), async (req, res) => {
    const date = parseOrThrow(businessDateSchema, req.params.date, 'path.date');
    const workflowId = reconciliationWorkflowId(date);
    try {
      // A finished run of the date may be started again (a re-run replaces its findings); a running one is joined.
      const handle = await temporal.workflow.start<typeof reconciliationWorkflow>(RECONCILIATION_WORKFLOW_TYPE, {
        workflowId,
        taskQueue,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        args: [{ businessDate: date }],
      });
      res
        .status(202)
        .location(`/ops/reconciliation?date=${date}`)
        .json({ workflowId, runId: handle.firstExecutionRunId, started: true });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const running = await temporal.workflow.getHandle(workflowId).describe();
      res
        .status(200)
        .location(`/ops/reconciliation?date=${date}`)
        .json({ workflowId, runId: running.runId, started: false });
    }
  });

  return router;
}
