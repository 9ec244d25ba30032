/** The version number a new version of an agent is offered: the newest one's next minor release. */

/** An agent's first version. */
export const FIRST_VERSION = "1.0.0";

function numbers(version: string): number[] | null {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(version.trim());
  if (!match) return null;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * After 1.0.0 and 1.2.3 comes 1.3.0; never a number already taken. Versions that are not
 * numbers (`beta`) are skipped; with none at all the first version is offered.
 */
export function nextVersion(existing: readonly string[]): string {
  const taken = new Set(existing);
  const parsed = existing.map(numbers).filter((n): n is number[] => n !== null);
  if (parsed.length === 0) {
    if (!taken.has(FIRST_VERSION)) return FIRST_VERSION;
    parsed.push([1, 0, 0]);
  }
  const newest = parsed.reduce((a, b) => (compare(a, b) >= 0 ? a : b));
  const major = newest[0]!;
  let minor = newest[1]! + 1;
  while (taken.has(`${major}.${minor}.0`)) minor++;
  return `${major}.${minor}.0`;
}
