import { z } from 'zod';
import { conflictDetailViewSchema } from '../core/conflictViews';
import { CONTRIBUTION_KINDS, PLAN_OUTCOMES } from '../core/carePlanContribution';

export * from '../core/conflictViews';

const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9\-.]+$/, 'must be a FHIR id');

/** What a crew adds to a care plan (issue #14); `outcome` is required when the plan was used. */
export const contributionParamsSchema = z
  .object({
    patientId: id,
    carePlanId: id,
    /** The incident the crew is working on: the purpose of the change (null: break-glass). */
    incidentId: id.nullable(),
    kind: z.enum(CONTRIBUTION_KINDS),
    outcome: z.enum(PLAN_OUTCOMES).nullable().default(null),
    text: z.string().trim().max(2000).default(''),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.kind === 'plan-used' && p.outcome === null) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'Say whether the plan was followed' });
    if (p.kind !== 'plan-used' && p.text === '') ctx.addIssue({ code: 'custom', path: ['text'], message: 'Enter what you want to add to the plan' });
  });
export type ContributionParams = z.output<typeof contributionParamsSchema>;

/**
 * Issue #14: reviewing a conflict with both versions in front of the clinician, and contributing to
 * a care plan across organisations. Both read or change one patient's record: the access rule for
 * that patient first, the audit entry before the answer.
 */
export const careMethods = {
  /** Both versions of one conflict, field by field, with who changed each (audited: it shows clinical values). */
  'conflicts.open': {
    params: z.object({ conflictId: z.string().min(1).max(300) }).strict(),
    result: conflictDetailViewSchema,
    needsSession: true,
  },
  /** Adds to a care plan: saved at once and shown as waiting to upload; pushed by the next sync. */
  'careplans.contribute': {
    params: contributionParamsSchema,
    result: z.object({ resourceType: z.enum(['CarePlan', 'Communication']), resourceId: id }),
    needsSession: true,
  },
} as const;
