/** Which two versions a comparison shows: the ones asked for, else the previous one and the latest. */

import type { VersionSummary } from "../api";

export interface VersionPair {
  from: string;
  to: string;
}

/**
 * The pair to compare among `versions` (newest first). An id that is not one of the agent's
 * versions falls back to the default: the second newest → the newest. Null with fewer than two.
 */
export function versionPair(
  versions: readonly Pick<VersionSummary, "id">[],
  from: string | null,
  to: string | null,
): VersionPair | null {
  if (versions.length < 2) return null;
  const known = (id: string | null) => (id !== null && versions.some((v) => v.id === id) ? id : null);
  return { from: known(from) ?? versions[1]!.id, to: known(to) ?? versions[0]!.id };
}
