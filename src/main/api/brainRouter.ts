import { TRPCError } from '@trpc/server';
import {
  BrainRunMaps,
  BrainSurface,
  ConnectivityDifference,
  MapOverlap,
  MapOverlapRequest,
  ReferenceMap,
  ReferenceMapRequest,
  RunRef,
  SubjectMap,
  SubjectMapRequest,
  SurfaceRequest,
} from '../../shared/api';
import { readGiftiSurface } from '../brain/giftiSurface';
import { readReferenceMap } from '../brain/referenceMap';
import { connectivityDifference, groupMapOverlap, readRunMaps, readSubjectMap, RunMapsError } from '../brain/runMaps';
import { ImportError } from '../cohort/importError';
import { procedure, router } from './trpc';

/** Runs `work`, turning a missing run or map into NOT_FOUND and a bad user file into BAD_REQUEST, with their message. */
function answered<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RunMapsError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
    if (error instanceof ImportError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
    throw error;
  }
}

/** What the brain view reads: a run's attention maps, its cohort's connectivity difference, surfaces and reference maps. */
export const brainRouter = router({
  maps: procedure
    .input(RunRef)
    .output(BrainRunMaps)
    .query(({ ctx, input }) => answered(() => readRunMaps(ctx.core.store.db, input.runId))),
  subjectMap: procedure
    .input(SubjectMapRequest)
    .output(SubjectMap)
    .query(({ ctx, input }) => answered(() => readSubjectMap(ctx.core.store.db, input.runId, input.subjectId, input.token))),
  /** Bhattacharyya overlap of two group maps (attention maps only: the contrast has negative values). */
  overlap: procedure
    .input(MapOverlapRequest)
    .output(MapOverlap)
    .query(({ ctx, input }) => answered(() => ({ overlap: groupMapOverlap(ctx.core.store.db, input.runId, input.tokens) }))),
  connectivityDifference: procedure
    .input(RunRef)
    .output(ConnectivityDifference)
    .query(({ ctx, input }) => answered(() => connectivityDifference(ctx.core.store.db, input.runId))),
  surface: procedure
    .input(SurfaceRequest)
    .output(BrainSurface)
    .query(({ input }) => answered(() => readGiftiSurface(input.path))),
  referenceMap: procedure
    .input(ReferenceMapRequest)
    .output(ReferenceMap)
    .query(({ ctx, input }) => answered(() => readReferenceMap(ctx.core.store.db, input.runId, input.path, input.labelImage))),
});
