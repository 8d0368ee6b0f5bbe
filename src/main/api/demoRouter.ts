import { DEMO_JOB_TITLE, DemoRunRequest, JobStatus } from '../../shared/api';
import { runDemo } from '../demo/runDemo';
import { procedure, router } from './trpc';

export const demoRouter = router({
  /** The one-click demo as one job: synthetic cohort, then NeuroLIP with and without fairness terms. */
  run: procedure
    .input(DemoRunRequest)
    .output(JobStatus)
    .mutation(({ ctx }) => ctx.core.jobs.start('train', DEMO_JOB_TITLE, (job) => runDemo(ctx.core.store, ctx.core.trainingQueue, job))),
});
