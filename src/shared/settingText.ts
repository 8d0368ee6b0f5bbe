const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One training setting as text: a list of plain values joined by commas ('none' when empty); a mixed ensemble's member
 * settings member by member ("member 1: as the run; member 2: learningRate 0.0001, ..."); any other
 * structured value as JSON.
 */
export function settingText(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return 'none';
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return value.join(', ');
  if (Array.isArray(value) && value.every(isPlainObject))
    return value.map((settings, m) => `member ${m + 1}: ${ownSettings(settings) || 'as the run'}`).join('; ');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * The settings logistic regression on connectivity reads, which its results depend on; the rest of
 * its stored configuration are the network's settings, which it ignores.
 */
export const LOGREG_SETTINGS: ReadonlySet<string> = new Set([
  'variant',
  'connectomeMeasure',
  'motionAdjustment',
  'sensitive',
  'seed',
  'protocol',
]);

/** A run's stored settings that its variant uses, in stored order: all of them but for `logreg-fc`. */
export function settingsInUse(config: Readonly<Record<string, unknown>>): [string, unknown][] {
  const entries = Object.entries(config);
  return config.variant === 'logreg-fc' ? entries.filter(([key]) => LOGREG_SETTINGS.has(key)) : entries;
}

/** What a fold's validation AUC is: logistic regression's comes from the inner cross-validation that chooses its penalty. */
export function validationAucLabel(variant: string): string {
  return variant === 'logreg-fc' ? 'inner-CV AUC' : 'validation AUC';
}

/** One ensemble member's own settings as "key value" pairs joined by commas ('' when it sets none). */
function ownSettings(settings: Readonly<Record<string, unknown>>): string {
  return Object.entries(settings)
    .map(([key, setting]) => `${key} ${settingText(setting)}`)
    .join(', ');
}

/** A mixed ensemble's own settings, member by member (numbered from 1), as "key value" pairs; members that set nothing are left out. */
export function memberSettingPairs(memberSettings: readonly Readonly<Record<string, unknown>>[]): { member: number; pairs: string }[] {
  return memberSettings.flatMap((settings, m) => {
    const pairs = ownSettings(settings);
    return pairs ? [{ member: m + 1, pairs }] : [];
  });
}

/** Names as a sentence's list: "sex", "sex and site", "sex, site and ageGroup". */
export function namesInWords(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}
