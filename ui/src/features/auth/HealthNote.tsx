/** A one-line platform status on the login page, shown only when something is down. */

import { useEffect, useState } from "react";
import { getHealth } from "../../api/endpoints";
import { toApiError } from "../../api/problem";
import { useServices } from "../../app/context";

export function HealthNote() {
  const { client } = useServices();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    getHealth(client, controller.signal)
      .then((health) => {
        const down = Object.entries(health)
          .filter(([key, value]) => key !== "status" && value !== "up")
          .map(([key]) => key);
        setProblem(down.length > 0 ? `Some services are down: ${down.join(", ")}.` : null);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = toApiError(error);
        setProblem(
          apiError.status === 503
            ? "The platform is starting or degraded; some features may not work yet."
            : `Platform status unknown: ${apiError.detail}`,
        );
      });
    return () => controller.abort();
  }, [client]);

  return problem ? (
    <p className="health-note muted" role="status">
      {problem}
    </p>
  ) : null;
}
