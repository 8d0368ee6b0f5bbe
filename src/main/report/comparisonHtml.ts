import { settingText } from '../../shared/settingText';
import { formatCorrelation, formatMeanSd, formatPaired } from '../../shared/figureText';
import type { ComparisonRow } from '../eval/comparisonTable';
import type { ComparisonData } from './comparisonData';
import { htmlDocument, METRICS, num, numMeanSd, softwareTable, table } from './htmlParts';
import { methodsParagraph } from './methodsText';
import { barChart, escapeHtml as e } from './svgCharts';

const GAPS = ['dDP', 'dEOpp', 'dEOdds', 'dAUC'] as const;

function label(run: ComparisonData['runs'][number]): string {
  return `${run.run.id}. ${run.run.name}`;
}

function overviewSection(data: ComparisonData): string {
  const rows = data.runs.map((r) => [
    r.run.id,
    r.run.name,
    r.summary.variant,
    r.summary.protocol,
    r.cohort.name,
    r.summary.subjects,
    r.summary.backend,
  ]);
  const synthetic = data.runs.some((r) => r.cohort.synthetic)
    ? '<p class="synthetic">Some of these runs use synthetic data: simulated subjects with planted diagnosis regions, not real people.</p>'
    : '';
  const metricRows = METRICS.map(([key, name]) => [
    name,
    ...data.runs.map(
      (r) => `${num(r.summary.metrics[key].value)} [${num(r.summary.metrics[key].ciLow)}, ${num(r.summary.metrics[key].ciHigh)}]`,
    ),
  ]);
  const differences = data.paired
    ? table(
        ['run', `AUC minus run ${data.runs[0]!.run.id}`, '95 % CI (paired bootstrap)'],
        data.differences.map((d) => [d.runId, num(d.difference), `${num(d.ciLow)} to ${num(d.ciHigh)}`]),
        [true, true, true],
      )
    : '<p class="note">The runs did not use identical test folds over the same subjects, so their AUCs are not compared pairwise.</p>';
  return `<section class="page"><h1>Comparison of ${data.runs.length} runs</h1>
<p>Report generated ${e(data.runs[0]!.generatedAt)}</p>${synthetic}
${table(['run', 'name', 'variant', 'protocol', 'cohort', 'subjects', 'back end'], rows, [true, false, false, false, false, true, false])}
<h2>Metrics (pooled out-of-fold, 95 % bootstrap CIs)</h2>
${table(['metric', ...data.runs.map(label)], metricRows)}
${barChart(
  'AUC with 95 % CI',
  data.runs.map((r) => ({ label: label(r), ...r.summary.metrics.auc })),
)}
<h3>Paired AUC differences</h3>${differences}</section>`;
}

/** The runs by variant over their seeds, and each variant minus the first seed by seed, as `neurolip compare` writes them. */
function overSeedsSection(rows: ComparisonRow[]): string {
  const attributes = [...new Set(rows.flatMap((row) => Object.keys(row.dEOdds)))];
  const summary = table(
    ['variant', 'seeds', 'AUC', 'balanced ACC', ...attributes.map((a) => `dEOdds(${a})`), 'sex leakage AUC', 'site leakage AUC'],
    rows.map((row) => [
      row.variant,
      row.seeds.join(', '),
      formatMeanSd(row.auc),
      formatMeanSd(row.balancedAcc),
      ...attributes.map((a) => formatMeanSd(row.dEOdds[a])),
      formatMeanSd(row.leakage.sex),
      formatMeanSd(row.leakage.site),
    ]),
  );
  const compared = rows.filter((row) => row.pairedVsReference !== null);
  const differences =
    compared.length === 0
      ? ''
      : `<h3>Each variant minus ${e(rows[0]!.variant)}, seed by seed</h3><p class="note">Mean ± SD over the seeds both have (standard error of the mean; on how many seeds the variant's figure was the higher).</p>${table(
          ['variant', 'AUC', ...attributes.map((a) => `dEOdds(${a})`), 'sex leakage AUC', 'site leakage AUC'],
          compared.map((row) => {
            const paired = row.pairedVsReference!;
            return [
              row.variant,
              formatPaired(paired.auc),
              ...attributes.map((a) => formatPaired(paired.dEOdds[a])),
              formatPaired(paired.leakage.sex),
              formatPaired(paired.leakage.site),
            ];
          }),
        )}`;
  return `<section class="page"><h2>By variant over seeds (mean ± SD)</h2>${summary}${differences}</section>`;
}

/** Each run's confound checks side by side: a row per variable and diagnosis class, the correlation with the patient probability. */
function confoundSection(data: ComparisonData): string {
  const checks = data.runs.find((r) => r.confounds.length > 0)?.confounds;
  if (!checks) return '';
  const rows = checks.flatMap((check, v) =>
    check.groups.map((group, g) => [
      `${check.label}, ${group.group}`,
      ...data.runs.map((r) => {
        const own = r.confounds[v]?.groups[g];
        return own ? formatCorrelation(own) : '–';
      }),
    ]),
  );
  return `<section class="page"><h2>Confounds</h2>
<p>Spearman's rho of the patient probability with each variable within each diagnosis class, two-sided permutation p (2,000 shuffles), then the same p adjusted by Holm's method for each run's six tests: a clear correlation there means the predictions track the variable itself.</p>${table(['variable, class', ...data.runs.map(label)], rows, [false, ...data.runs.map(() => true)])}</section>`;
}

function fairnessSection(data: ComparisonData): string {
  const attributes = [...new Set(data.runs.flatMap((r) => Object.keys(r.summary.fairness)))];
  const tables = attributes
    .map((attribute) => {
      const rows = GAPS.map((gap) => [
        gap,
        ...data.runs.map((r) => {
          const report = r.summary.fairness[attribute];
          if (!report) return '–';
          const ci = report.ci?.[gap];
          return `${num(report[gap])}${ci ? ` [${num(ci[0])}, ${num(ci[1])}]` : ''}`;
        }),
      ]);
      return `<h3>${e(attribute)}</h3>${table(['gap', ...data.runs.map(label)], rows)}`;
    })
    .join('');
  const leakage = table(
    ['', ...data.runs.map(label)],
    [
      ['sex probe AUC', ...data.runs.map((r) => numMeanSd(r.summary.leakage.sexProbeAuc))],
      [
        'site probe AUC (one against the rest)',
        ...data.runs.map((r) => (r.summary.leakage.siteProbeAuc ? numMeanSd(r.summary.leakage.siteProbeAuc) : '–')),
      ],
    ],
  );
  const recovered = data.runs.some((r) => r.summary.recovery)
    ? `<h3>Planted regions recovered (synthetic ground truth)</h3>${table(
        ['map', ...data.runs.map(label)],
        ['absoluteContrast', 'patientMap', 'controlMap'].map((key) => [
          `precision@k, ${key}`,
          ...data.runs.map((r) => num(r.summary.recovery?.precisionAtK[key], 2)),
        ]),
      )}`
    : '';
  return `<section class="page"><h2>Fairness gaps (95 % bootstrap CIs)</h2>${tables}<h3>Leakage</h3>${leakage}${recovered}</section>`;
}

/** The runs' settings split into those that differ ([setting, value per run]) and those every run shared ([setting, value]). */
export function settingsByAgreement(configs: (Record<string, unknown> | null | undefined)[]): {
  differing: string[][];
  shared: [string, string][];
} {
  const keys = [...new Set(configs.flatMap((config) => Object.keys(config ?? {})))];
  const show = (v: unknown): string => (v === undefined ? '–' : settingText(v));
  const differing: string[][] = [];
  const shared: [string, string][] = [];
  for (const key of keys) {
    const values = configs.map((config) => show(config?.[key]));
    if (new Set(values).size > 1) differing.push([key, ...values]);
    else shared.push([key, values[0]!]);
  }
  return { differing, shared };
}

/** The settings that differ between the runs, one column per run, then those every run shared, in two compact columns. */
function configurationSection(data: ComparisonData): string {
  const { differing, shared } = settingsByAgreement(data.runs.map((r) => r.summary.config));
  const half = Math.ceil(shared.length / 2);
  const differences =
    differing.length > 0 ? table(['setting', ...data.runs.map(label)], differing) : '<p>None: every run used the same settings.</p>';
  return `<section class="page"><h2>Configuration and software</h2><h3>Settings that differ</h3>${differences}
<h3>Settings shared by every run</h3><div class="views compact"><div>${table(['setting', 'value'], shared.slice(0, half))}</div>
<div>${table(['setting', 'value'], shared.slice(half))}</div>
<div>${softwareTable([
    ...data.runs.map((r) => ({ label: label(r), versions: r.trainedWith })),
    { label: 'wrote this report', versions: data.runs[0]!.versions },
  ])}</div></div></section>`;
}

function methodsSection(data: ComparisonData): string {
  const methods = data.runs
    .map((r) => `<h3>${e(label(r))}</h3><p>${e(methodsParagraph(r.summary, r.cohort, r.trainedWith['Source fingerprint']))}</p>`)
    .join('');
  return `<section class="page"><h2>Methods</h2>${methods}</section>`;
}

/** A comparison of several runs as one self-contained HTML document; it holds no subject identifiers. */
export function comparisonHtml(data: ComparisonData): string {
  return htmlDocument(`Comparison of runs ${data.runs.map((r) => r.run.id).join(', ')}: NeuroLIP Studio report`, [
    overviewSection(data),
    ...(data.overSeeds ? [overSeedsSection(data.overSeeds)] : []),
    fairnessSection(data),
    confoundSection(data),
    configurationSection(data),
    methodsSection(data),
  ]);
}
