/** Store submissions under review: the list (refreshed while open) and the two decisions. */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { approveSubmission, listSubmissions, rejectSubmission } from "../../api/reviews";
import { useServices } from "../../app/context";

/** Developers submit at any time. */
const LIST_REFRESH_MS = 15_000;

export const submissionKeys = { all: ["reviews", "submissions"] as const };

export function useSubmissions() {
  const { client } = useServices();
  return useQuery({
    queryKey: submissionKeys.all,
    queryFn: ({ signal }) => listSubmissions(client, signal),
    refetchInterval: LIST_REFRESH_MS,
  });
}

/** Approve (`reason` null, optional note) or reject (a reason the developer reads). */
export function useDecision(versionId: string) {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: { approve: boolean; text: string }) =>
      decision.approve
        ? approveSubmission(client, versionId, decision.text.trim() || null)
        : rejectSubmission(client, versionId, decision.text.trim()),
    // The store and every cached list may change when a version is published.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
