/** A figure over seeds as text; a missing value (null or NaN) reads as an en dash. */
type Figure = number | null;

const present = (value: Figure | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** "0.684 ± 0.012", "0.684" for one seed, "–" when there is no value. */
export function formatMeanSd(value: { mean: Figure; sd: Figure } | undefined, digits = 3): string {
  if (!present(value?.mean)) return '–';
  return present(value.sd) ? `${value.mean.toFixed(digits)} ± ${value.sd.toFixed(digits)}` : value.mean.toFixed(digits);
}

/** A paired difference over seeds: "+0.005 ± 0.120 (SE 0.054; higher on 2 of 5)"; "+0.005 (higher on 1 of 1)" for one seed. */
export function formatPaired(value: { mean: Figure; sd: Figure; se: Figure; higher: number; seeds: number } | undefined): string {
  if (!value || value.seeds === 0 || !present(value.mean)) return '–';
  const sign = value.mean >= 0 ? '+' : '';
  const spread = value.seeds > 1 && present(value.sd) ? ` ± ${value.sd.toFixed(3)} (SE ${(value.se ?? Number.NaN).toFixed(3)}; ` : ' (';
  return `${sign}${value.mean.toFixed(3)}${spread}higher on ${value.higher} of ${value.seeds})`;
}

/** A correlation with its p-value and any Holm-adjusted one: "0.231 (p < 0.001, Holm 0.004)", "-0.040 (p 0.612)"; "–" without one. */
export function formatCorrelation(value: { rho: Figure; p: Figure; pHolm?: Figure }): string {
  if (!present(value.rho) || !present(value.p)) return '–';
  const p = (v: number): string => (v < 0.001 ? '< 0.001' : v.toFixed(3));
  return `${value.rho.toFixed(3)} (p ${p(value.p)}${present(value.pHolm) ? `, Holm ${p(value.pHolm)}` : ''})`;
}
