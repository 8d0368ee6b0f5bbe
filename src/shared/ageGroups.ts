/** The spec's default age groups, in age order. */
export const AGE_GROUPS = ['<12', '12-17', '>=18'] as const;

export function ageGroup(age: number | null): string | null {
  if (age === null) return null;
  return age < 12 ? AGE_GROUPS[0] : age < 18 ? AGE_GROUPS[1] : AGE_GROUPS[2];
}

const ageRank = (name: string): number => (AGE_GROUPS as readonly string[]).indexOf(name);

/** Group names in the order people read them: the age groups in age order, any other names as `sort()` orders them. */
export function compareGroupNames(a: string, b: string): number {
  const [ra, rb] = [ageRank(a), ageRank(b)];
  if (ra >= 0 && rb >= 0) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}
