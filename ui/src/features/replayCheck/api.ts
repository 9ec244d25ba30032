/**
 * Replay checks through TanStack Query: a version's checks (newest first, with their reports) and
 * starting one. The same routes live under two areas, so each role's rule applies: developers
 * under `/developer` (their drafts), reviewers under `/reviews` (submissions).
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import type { Schemas } from "../../api/types";
import { useServices } from "../../app/context";

export type ReplayCheck = Schemas["ReplayCheckPublic"];
export type ConversationVerdict = Schemas["ConversationVerdict"];
export type Verdict = ConversationVerdict["verdict"];
export type ReplayCheckRequest = Schemas["ReplayCheckRequest"];
export type Unmatched = NonNullable<ReplayCheckRequest["unmatched"]>;

/** Who reads the checks: the version's developer or a reviewer of the submission. */
export type ReplayArea = "developer" | "reviews";

/** The version statuses a check may be started on (the server refuses the others with 409). */
export const CHECKABLE_STATUSES: readonly string[] = ["draft", "submitted"];

/** The id of the replay check panel on a page: "replay check" buttons and notes elsewhere lead to it. */
export const REPLAY_CHECK_ANCHOR = "replay-check";

export const replayCheckKeys = {
  versionChecks: (area: ReplayArea, versionId: string) => ["replay-checks", area, versionId] as const,
};

const seg = encodeURIComponent;

/** The API paths of one area. */
export const replayPaths = {
  versionChecks: (area: ReplayArea, versionId: string) => `/api/v1/${area}/versions/${seg(versionId)}/replay-checks`,
  events: (area: ReplayArea, checkId: string) => `/api/v1/${area}/replay-checks/${seg(checkId)}/events`,
};

export function listReplayChecks(
  client: ApiClient,
  area: ReplayArea,
  versionId: string,
  signal?: AbortSignal,
): Promise<ReplayCheck[]> {
  return client.request<ReplayCheck[]>(replayPaths.versionChecks(area, versionId), { signal });
}

export function startReplayCheck(
  client: ApiClient,
  area: ReplayArea,
  versionId: string,
  body: ReplayCheckRequest,
): Promise<ReplayCheck> {
  return client.request<ReplayCheck>(replayPaths.versionChecks(area, versionId), { json: body });
}

/** While a check runs the list is read again now and then: the event stream may have dropped. */
const RUNNING_REFRESH_MS = 10_000;

/** The version's checks, newest first (each with its report so far). */
export function useReplayChecks(area: ReplayArea, versionId: string) {
  const { client } = useServices();
  return useQuery({
    queryKey: replayCheckKeys.versionChecks(area, versionId),
    queryFn: ({ signal }) => listReplayChecks(client, area, versionId, signal),
    refetchInterval: (query) => (query.state.data?.some((c) => c.status === "running") ? RUNNING_REFRESH_MS : false),
  });
}

/** Start a check; the new (running) check goes first in the cached list, so its progress is followed at once. */
export function useStartReplayCheck(area: ReplayArea, versionId: string) {
  const { client } = useServices();
  const queryClient = useQueryClient();
  const key = replayCheckKeys.versionChecks(area, versionId);
  return useMutation({
    mutationFn: (body: ReplayCheckRequest) => startReplayCheck(client, area, versionId, body),
    onSuccess: (check) =>
      queryClient.setQueryData<ReplayCheck[]>(key, (checks) => [
        check,
        ...(checks ?? []).filter((c) => c.id !== check.id),
      ]),
  });
}
