/** The login page's server state: the platform's health and signing in (TanStack Query). */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { LoginOutcome } from "../../api/auth";
import { getHealth } from "../../api/endpoints";
import { useServices } from "../../app/context";

const HEALTH_KEY = ["health"] as const;

/** The platform's health; not retried, the note only tells the person what is known now. */
export function useHealth() {
  const { client } = useServices();
  return useQuery({
    queryKey: HEALTH_KEY,
    queryFn: ({ signal }) => getHealth(client, signal),
    retry: false,
    staleTime: 30_000,
  });
}

export interface Credentials {
  email: string;
  password: string;
  /** The chosen tenant after the server asked for one; absent on the first try. */
  tenant?: string;
}

/**
 * Sign in; resolves to the outcome (a tenant choice may still be needed). Whatever an earlier
 * account had loaded is dropped first, so the next person never sees it, not even while it reloads.
 */
export function useSignIn() {
  const { session } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ email, password, tenant }: Credentials): Promise<LoginOutcome> => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== HEALTH_KEY[0] });
      if (tenant === undefined) return session.login(email, password);
      await session.loginWithTenant(email, password, tenant);
      return { kind: "signed-in" };
    },
  });
}
