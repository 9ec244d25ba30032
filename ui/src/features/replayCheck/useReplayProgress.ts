/**
 * The live progress of a running check: its event stream folded into progress while the page
 * is open; when the stream ends the version's checks are read again, so the server's report
 * has the last word.
 */

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useServices } from "../../app/context";
import { replayCheckKeys, type ReplayArea, type ReplayCheck } from "./api";
import { followReplayCheck } from "./followReplayCheck";
import { applyReplayEvent, NO_PROGRESS, type ReplayProgress } from "./report";

/** Progress of `check` while it runs (NO_PROGRESS for a finished check or none). */
export function useReplayProgress(area: ReplayArea, versionId: string, check: ReplayCheck | null): ReplayProgress {
  const { client } = useServices();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<{ id: string; value: ReplayProgress } | null>(null);
  const followedId = check?.status === "running" ? check.id : null;

  useEffect(() => {
    if (followedId === null) return;
    const controller = new AbortController();
    setProgress({ id: followedId, value: NO_PROGRESS });
    void followReplayCheck(
      client,
      area,
      followedId,
      (frame) =>
        setProgress((current) => ({
          id: followedId,
          value: applyReplayEvent(current?.id === followedId ? current.value : NO_PROGRESS, frame),
        })),
      { signal: controller.signal },
    )
      .catch(() => undefined)
      .finally(() => {
        if (controller.signal.aborted) return;
        void queryClient.invalidateQueries({ queryKey: replayCheckKeys.versionChecks(area, versionId) });
      });
    return () => controller.abort();
  }, [client, queryClient, area, versionId, followedId]);

  return progress && progress.id === check?.id ? progress.value : NO_PROGRESS;
}
