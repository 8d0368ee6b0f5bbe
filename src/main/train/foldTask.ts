import type { BackendName } from '../../shared/api';
import type { TrainConfig } from '../model/trainConfig';
import type { EpochRecord, FoldCheckpoint, FoldOutcome } from './trainFold';

/** One fold to train, as sent to a trainer process. */
export interface FoldTask {
  projectPath: string;
  cohortId: number;
  backend: BackendName;
  index: number;
  split: { fit: number[]; validation: number[]; test: number[] };
  config: TrainConfig & { ttca: boolean };
  /** Continue from this checkpoint instead of starting the fold afresh. */
  resume?: FoldCheckpoint;
}

export type TrainerMessage =
  | { type: 'epoch'; index: number; epoch: EpochRecord }
  | { type: 'checkpoint'; index: number; checkpoint: FoldCheckpoint }
  | { type: 'done'; index: number; outcome: FoldOutcome }
  | { type: 'failed'; index: number; message: string };
