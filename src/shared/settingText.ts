/** One training setting as text: a list of plain values joined by commas, a structured value as JSON (a mixed ensemble's member settings). */
export function settingText(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return value.join(', ');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
