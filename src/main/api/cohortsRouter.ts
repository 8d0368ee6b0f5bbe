import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  AtlasChoice,
  BrowseRequest,
  BrowseResult,
  CohortDetail,
  CohortListItem,
  CohortRef,
  DemoRequest,
  ImportProposal,
  ImportRequest,
  ImportSource,
  JobStatus,
  MeanConnectivity,
  RenameCohort,
} from '../../shared/api';
import { BUILTIN_ATLASES } from '../cohort/atlas/builtinAtlases';
import { ImportError } from '../cohort/importError';
import { importCohort } from '../cohort/importCohort';
import { detectImport } from '../cohort/planImport';
import { browseFolder } from '../files/browseFolder';
import { AtlasRepository } from '../store/atlasRepository';
import { CohortNameTakenError, CohortRepository } from '../store/cohortRepository';
import { importDemoCohort } from '../synth/demoCohort';
import { DEFAULT_SYNTHETIC } from '../synth/syntheticCohort';
import { procedure, router } from './trpc';

/** Runs `work`, turning the user's input problems into BAD_REQUEST errors with their message. */
function userErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ImportError || error instanceof CohortNameTakenError) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES')
      throw new TRPCError({ code: 'BAD_REQUEST', message: (error as Error).message });
    throw error;
  }
}

function found<T>(value: T | undefined): T {
  if (value === undefined) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such cohort.' });
  return value;
}

export const cohortsRouter = router({
  list: procedure.output(z.array(CohortListItem)).query(({ ctx }) => new CohortRepository(ctx.core.store.db).list()),
  detail: procedure
    .input(CohortRef)
    .output(CohortDetail)
    .query(({ ctx, input }) => found(new CohortRepository(ctx.core.store.db).detail(input.cohortId))),
  meanConnectivity: procedure
    .input(CohortRef)
    .output(MeanConnectivity)
    .query(({ ctx, input }) => found(new CohortRepository(ctx.core.store.db).meanConnectivity(input.cohortId))),
  rename: procedure.input(RenameCohort).mutation(({ ctx, input }) => {
    const cohorts = new CohortRepository(ctx.core.store.db);
    found(cohorts.get(input.cohortId));
    userErrors(() => cohorts.rename(input.cohortId, input.name));
  }),
  delete: procedure.input(CohortRef).mutation(({ ctx, input }) => {
    if (!new CohortRepository(ctx.core.store.db).delete(input.cohortId)) found(undefined);
  }),
  atlases: procedure
    .output(z.array(AtlasChoice))
    .query(({ ctx }) => [
      ...Object.entries(BUILTIN_ATLASES).map(([id, name]) => ({ id, name, kind: 'builtin' as const })),
      ...new AtlasRepository(ctx.core.store.db).names().map((name) => ({ id: name, name, kind: 'project' as const })),
    ]),
  browse: procedure
    .input(BrowseRequest)
    .output(BrowseResult)
    .query(({ input }) => userErrors(() => browseFolder(input.path))),
  detect: procedure
    .input(ImportSource)
    .output(ImportProposal)
    .query(({ input }) => userErrors(() => detectImport(input.phenotypePath, input.dataPath))),
  /** A dry run of the import: every check and QC count, nothing written. Its result is an ImportSummary. */
  preview: procedure
    .input(ImportRequest)
    .output(JobStatus)
    .mutation(({ ctx, input }) =>
      ctx.core.jobs.start('import', `Checking "${input.name}"`, (job) =>
        importCohort(ctx.core.store, input, { dryRun: true, signal: job.signal, progress: job.progress }),
      ),
    ),
  import: procedure
    .input(ImportRequest)
    .output(JobStatus)
    .mutation(({ ctx, input }) =>
      ctx.core.jobs.start('import', `Importing "${input.name}"`, (job) =>
        importCohort(ctx.core.store, input, { signal: job.signal, progress: job.progress }),
      ),
    ),
  demo: procedure
    .input(DemoRequest)
    .output(JobStatus)
    .mutation(({ ctx, input }) =>
      ctx.core.jobs.start('import', 'Importing the demo cohort', async (job) => {
        const demo = await importDemoCohort(
          ctx.core.store,
          { ...DEFAULT_SYNTHETIC, ...input },
          { signal: job.signal, progress: job.progress },
        );
        return {
          cohortId: demo.cohortId,
          cohort: demo.name,
          reused: demo.summary === null,
          summary: demo.summary,
          pDxLabels: demo.truth.pDxLabels,
        };
      }),
    ),
});
