import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppInfo, JobEvent, JobRef, JobStatus, ProjectSummary } from '../../shared/api';
import { brainRouter } from './brainRouter';
import { cohortsRouter } from './cohortsRouter';
import { demoRouter } from './demoRouter';
import { reportsRouter } from './reportsRouter';
import { runsRouter } from './runsRouter';
import { procedure, router } from './trpc';

function known<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new TRPCError({ code: 'NOT_FOUND', message: `No such ${what}.` });
  return value;
}

export const appRouter = router({
  app: router({
    info: procedure.output(AppInfo).query(({ ctx }) => ctx.core.info()),
  }),
  project: router({
    summary: procedure.output(ProjectSummary).query(({ ctx }) => ctx.core.store.summary()),
  }),
  cohorts: cohortsRouter,
  runs: runsRouter,
  brain: brainRouter,
  demo: demoRouter,
  reports: reportsRouter,
  jobs: router({
    list: procedure.output(z.array(JobStatus)).query(({ ctx }) => ctx.core.jobs.list()),
    get: procedure
      .input(JobRef)
      .output(JobStatus)
      .query(({ ctx, input }) => known(ctx.core.jobs.get(input.jobId), 'job')),
    cancel: procedure
      .input(JobRef)
      .output(JobStatus)
      .mutation(({ ctx, input }) => known(ctx.core.jobs.cancel(input.jobId), 'job')),
    events: procedure.input(JobRef).subscription(async function* ({ ctx, input, signal }): AsyncGenerator<JobEvent> {
      known(ctx.core.jobs.get(input.jobId), 'job');
      for await (const event of ctx.core.jobs.events(input.jobId, signal)) yield JobEvent.parse(event);
    }),
  }),
});

export type AppRouter = typeof appRouter;
