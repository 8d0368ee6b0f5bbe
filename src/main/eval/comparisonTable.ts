import { formatMeanSd, formatPaired } from '../../shared/figureText';
import { meanSd } from './metrics';
import { pairedAucDifference, samePairing, type ScoredSubjects } from './compareRuns';

type MeanSd = { mean: number; sd: number };

/**
 * A figure of one variant minus the reference variant's, seed by seed (runs of the same seed share
 * their folds): mean ± SD over the seeds, the mean's standard error, and on how many seeds the
 * variant's figure was the higher.
 */
export interface PairedDifference extends MeanSd {
  se: number;
  higher: number;
  seeds: number;
}

/** The goals' comparisons: AUC, each dEOdds and both leakage probes, against the reference, seed by seed. */
export interface PairedBySeed {
  auc: PairedDifference;
  dEOdds: Record<string, PairedDifference>;
  leakage: { sex: PairedDifference; site: PairedDifference };
}

/** What one finished run contributes to a comparison. */
export interface ComparedRun {
  variant: string;
  seed: number;
  runId: number;
  auc: number;
  acc: number;
  balancedAcc: number;
  /** dEOdds per sensitive attribute. */
  dEOdds: Record<string, number>;
  /** dEOdds by chance per sensitive attribute: the median of the run's permutation null (fairness.ts), where stored. */
  dEOddsChance?: Record<string, number>;
  /** The sex and site leakage probes' AUCs (NaN where the variant has no embeddings, or the protocol no site probe). */
  leakage: { sex: number; site: number };
  /** precision@|P_dx| of the patient map and of the |patient - control| contrast; absent without a planted truth. */
  recovery?: { patientMap: number; absoluteContrast: number };
  epochSeconds: number;
  scored: ScoredSubjects;
}

/** One variant's line of the table: every figure as mean ± SD over seeds. */
export interface ComparisonRow {
  variant: string;
  seeds: number[];
  runIds: number[];
  auc: MeanSd;
  acc: MeanSd;
  balancedAcc: MeanSd;
  dEOdds: Record<string, MeanSd>;
  /** dEOdds by chance per attribute, over the runs that stored it. */
  dEOddsChance: Record<string, MeanSd>;
  leakage: { sex: MeanSd; site: MeanSd };
  recovery: { patientMap: MeanSd; absoluteContrast: MeanSd } | null;
  epochSeconds: MeanSd;
  /** Pooled AUC minus the reference variant's, per seed on the same subjects and folds, with paired bootstrap CIs. */
  aucVsReference: { mean: number; sd: number; perSeed: { seed: number; difference: number; ciLow: number; ciHigh: number }[] } | null;
  /** Every goal's figure against the reference variant, seed by seed; null for the reference or without a shared seed. */
  pairedVsReference: PairedBySeed | null;
}

function pairedDifference(pairs: [number, number][]): PairedDifference {
  const differences = pairs.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)).map(([a, b]) => b - a);
  const spread = meanSd(differences);
  return {
    ...spread,
    se: spread.sd / Math.sqrt(differences.length),
    higher: differences.filter((d) => d > 0).length,
    seeds: differences.length,
  };
}

function pairedBySeed(base: ComparedRun[], own: ComparedRun[], attributes: string[]): PairedBySeed | null {
  const pairs = own.flatMap((run) => {
    const match = base.find((r) => r.seed === run.seed);
    return match ? [[match, run] as const] : [];
  });
  if (pairs.length === 0) return null;
  const of = (figure: (run: ComparedRun) => number): PairedDifference => pairedDifference(pairs.map(([a, b]) => [figure(a), figure(b)]));
  return {
    auc: of((r) => r.auc),
    dEOdds: Object.fromEntries(attributes.map((a) => [a, of((r) => r.dEOdds[a] ?? Number.NaN)])),
    leakage: { sex: of((r) => r.leakage.sex), site: of((r) => r.leakage.site) },
  };
}

/**
 * The comparison table: one row per variant (in the order given), figures over seeds, and the AUC
 * difference to the reference variant (the first) on paired predictions of the same seed.
 */
export function summariseComparison(runs: ComparedRun[], variants: string[]): ComparisonRow[] {
  const reference = variants[0];
  return variants.map((variant) => {
    const own = runs.filter((r) => r.variant === variant).sort((a, b) => a.seed - b.seed);
    const attributes = [...new Set(own.flatMap((r) => Object.keys(r.dEOdds)))];
    const paired =
      variant === reference
        ? []
        : own.flatMap((run) => {
            const base = runs.find((r) => r.variant === reference && r.seed === run.seed);
            if (!base || !samePairing(base.scored, run.scored)) return [];
            const d = pairedAucDifference(base.scored, run.scored, 1000, run.seed);
            return [{ seed: run.seed, difference: d.difference, ciLow: d.ciLow, ciHigh: d.ciHigh }];
          });
    const withRecovery = own.filter((r) => r.recovery);
    return {
      variant,
      seeds: own.map((r) => r.seed),
      runIds: own.map((r) => r.runId),
      auc: meanSd(own.map((r) => r.auc)),
      acc: meanSd(own.map((r) => r.acc)),
      balancedAcc: meanSd(own.map((r) => r.balancedAcc)),
      dEOdds: Object.fromEntries(attributes.map((a) => [a, meanSd(own.map((r) => r.dEOdds[a] ?? Number.NaN))])),
      dEOddsChance: Object.fromEntries(
        attributes.map((a) => [a, meanSd(own.flatMap((r) => (Number.isFinite(r.dEOddsChance?.[a]) ? [r.dEOddsChance![a]!] : [])))]),
      ),
      leakage: { sex: meanSd(own.map((r) => r.leakage.sex)), site: meanSd(own.map((r) => r.leakage.site)) },
      recovery: withRecovery.length
        ? {
            patientMap: meanSd(withRecovery.map((r) => r.recovery!.patientMap)),
            absoluteContrast: meanSd(withRecovery.map((r) => r.recovery!.absoluteContrast)),
          }
        : null,
      epochSeconds: meanSd(own.map((r) => r.epochSeconds)),
      aucVsReference: paired.length ? { ...meanSd(paired.map((p) => p.difference)), perSeed: paired } : null,
      pairedVsReference:
        variant === reference
          ? null
          : pairedBySeed(
              runs.filter((r) => r.variant === reference),
              own,
              attributes,
            ),
    };
  });
}

/** The table as Markdown, in the layout docs/model.md uses. */
export function comparisonMarkdown(
  rows: ComparisonRow[],
  heading: { cohort: string; protocol: string; seeds: number[]; subjects: number },
): string {
  const attributes = [...new Set(rows.flatMap((r) => Object.keys(r.dEOdds)))];
  const hasRecovery = rows.some((r) => r.recovery);
  const reference = rows[0]?.variant ?? '';
  const columns = [
    'variant',
    'AUC',
    `ΔAUC vs ${reference} (paired)`,
    'ACC',
    'balanced ACC',
    ...attributes.map((a) => `dEOdds(${a})`),
    'sex leakage AUC',
    'site leakage AUC',
    ...(hasRecovery ? ['precision@k patient map', 'precision@k contrast'] : []),
    'epoch s',
  ];
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const body = rows.map((row) =>
    line([
      `\`${row.variant}\``,
      formatMeanSd(row.auc),
      row.aucVsReference ? `${row.aucVsReference.mean >= 0 ? '+' : ''}${formatMeanSd(row.aucVsReference)}` : '–',
      formatMeanSd(row.acc),
      formatMeanSd(row.balancedAcc),
      ...attributes.map((a) => formatMeanSd(row.dEOdds[a])),
      formatMeanSd(row.leakage.sex),
      formatMeanSd(row.leakage.site),
      ...(hasRecovery
        ? [
            row.recovery ? formatMeanSd(row.recovery.patientMap, 2) : '–',
            row.recovery ? formatMeanSd(row.recovery.absoluteContrast, 2) : '–',
          ]
        : []),
      formatMeanSd(row.epochSeconds, 1),
    ]),
  );
  const chance = chanceSentence(rows, attributes);
  const paired = pairedMarkdown(rows, attributes);
  return [
    `Cohort ${heading.cohort}: ${heading.subjects} subjects, ${heading.protocol}, seeds ${heading.seeds.join(', ')}; mean ± SD over seeds, every variant on the same folds.`,
    '',
    line(columns),
    line(columns.map(() => '---')),
    ...body,
    ...(chance ? ['', chance] : []),
    ...(paired ? ['', ...paired] : []),
  ].join('\n');
}

/**
 * The goals' comparisons against the reference variant seed by seed: each figure as the variant's
 * minus the reference's, so that "lower than the reference" can be told from the seeds' noise.
 */
function pairedMarkdown(rows: ComparisonRow[], attributes: string[]): string[] | null {
  const compared = rows.filter((row) => row.pairedVsReference !== null);
  if (compared.length === 0) return null;
  const reference = rows[0]!.variant;
  const columns = ['variant', 'AUC', ...attributes.map((a) => `dEOdds(${a})`), 'sex leakage AUC', 'site leakage AUC'];
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    `Each variant minus \`${reference}\`, seed by seed on the same folds: mean ± SD over the seeds (standard error of the mean; on how many seeds the variant's figure was the higher).`,
    '',
    line(columns),
    line(columns.map(() => '---')),
    ...compared.map((row) => {
      const paired = row.pairedVsReference!;
      return line([
        `\`${row.variant}\``,
        formatPaired(paired.auc),
        ...attributes.map((a) => formatPaired(paired.dEOdds[a]!)),
        formatPaired(paired.leakage.sex),
        formatPaired(paired.leakage.site),
      ]);
    }),
  ];
}

/**
 * What each dEOdds column would show by chance with these group sizes: per attribute, the lowest and
 * highest of the variants' mean permutation medians (group labels shuffled within each diagnosis);
 * null when no run stored one.
 */
function chanceSentence(rows: ComparisonRow[], attributes: string[]): string | null {
  const parts = attributes.flatMap((a) => {
    const levels = rows.map((row) => row.dEOddsChance[a]?.mean ?? Number.NaN).filter(Number.isFinite);
    if (levels.length === 0) return [];
    const [low, high] = [Math.min(...levels), Math.max(...levels)].map((v) => v.toFixed(3));
    return [`${a} ${low === high ? low : `${low}–${high}`}`];
  });
  return parts.length > 0
    ? `dEOdds by chance with these group sizes (median gap with the group labels shuffled within each diagnosis, mean over seeds, lowest–highest over the variants): ${parts.join(', ')}.`
    : null;
}
