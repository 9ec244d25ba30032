/** The node type catalog through TanStack Query (it changes only with a platform release). */

import { useQuery } from "@tanstack/react-query";
import { listNodeTypes } from "../../api/endpoints";
import { useServices } from "../../app/context";

export const studioKeys = {
  nodeTypes: ["studio", "node-types"] as const,
};

/** Every node type with its config schema. */
export function useNodeTypes() {
  const { client } = useServices();
  return useQuery({
    queryKey: studioKeys.nodeTypes,
    queryFn: ({ signal }) => listNodeTypes(client, signal),
    staleTime: 5 * 60_000,
  });
}
