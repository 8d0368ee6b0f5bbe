import { RunSummary } from '../../shared/api';
import type { RunRepository } from '../store/runRepository';
import type { ComparedRun } from './comparisonTable';

/** A finished run as a comparison over seeds reads it (`neurolip compare`, the Results page), with its stored summary. */
export function storedComparedRun(repository: RunRepository, runId: number, seed: number): { run: ComparedRun; summary: RunSummary } {
  const summary = RunSummary.parse(repository.summary(runId));
  const scored = new Map(repository.predictions(runId).map((p) => [p.subjectId, { fold: p.fold, label: p.label, score: p.score }]));
  const precision = summary.recovery?.precisionAtK;
  return {
    summary,
    run: {
      variant: summary.variant,
      seed,
      runId,
      auc: summary.metrics.auc.value ?? Number.NaN,
      acc: summary.metrics.acc.value ?? Number.NaN,
      balancedAcc: summary.metrics.balancedAcc.value ?? Number.NaN,
      dEOdds: Object.fromEntries(Object.entries(summary.fairness).map(([name, report]) => [name, report.dEOdds ?? Number.NaN])),
      dEOddsChance: Object.fromEntries(
        Object.entries(summary.fairness).map(([name, report]) => [name, report.dEOddsNull?.chance ?? Number.NaN]),
      ),
      leakage: { sex: summary.leakage.sexProbeAuc.mean ?? Number.NaN, site: summary.leakage.siteProbeAuc?.mean ?? Number.NaN },
      ...(precision
        ? { recovery: { patientMap: precision.patientMap ?? Number.NaN, absoluteContrast: precision.absoluteContrast ?? Number.NaN } }
        : {}),
      epochSeconds: summary.epochSeconds ?? Number.NaN,
      scored: { bySubject: scored },
    },
  };
}
