import { initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import type { Core } from '../core';
import { describeWriteFailure } from '../store/writeFailure';

export interface ApiContext {
  core: Core;
}

/** "jobId: not a job id; name: too long" from a zod error, for people rather than programs. */
function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error, ctx }) {
    if (error.cause instanceof ZodError) {
      return { ...shape, message: `Invalid input: ${describeZodError(error.cause)}` };
    }
    const refusedWrite = describeWriteFailure(error.cause, ctx?.core.store.path ?? 'the project', 'this change');
    if (refusedWrite !== null) return { ...shape, message: refusedWrite };
    return shape;
  },
});

export const router = t.router;
export const procedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
