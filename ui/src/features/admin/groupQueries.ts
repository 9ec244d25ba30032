/**
 * Server state of the Groups tab (TanStack Query): the paged list and the changes. Groups live
 * under the admin cache keys, so every admin change refreshes them; the builder's group
 * suggestions are refreshed too.
 */

import { mutationOptions, type MutationFunctionContext } from "@tanstack/react-query";
import type { ApiClient } from "../../api/client";
import { createGroup, deleteGroup, listGroups, updateGroup, type GroupWrite, type UserGroup } from "../../api/groups";
import type { Page } from "../../api/types";
import type { PageRequest } from "../../components/paged-list/usePagedList";

export const groupKeys = {
  all: ["admin", "groups"] as const,
  /** The builder's list of group names to suggest as assignees. */
  suggestions: ["studio", "inspector", "groups"] as const,
};

export function fetchGroups(client: ApiClient) {
  return ({ limit, offset, signal }: PageRequest<object>): Promise<Page<UserGroup>> =>
    listGroups(client, { limit, offset }, signal);
}

const groupsChanged = (_data: unknown, _variables: unknown, _result: unknown, context: MutationFunctionContext) =>
  Promise.all([
    context.client.invalidateQueries({ queryKey: groupKeys.all }),
    context.client.invalidateQueries({ queryKey: groupKeys.suggestions }),
  ]);

/** Create a group (`groupId` absent) or replace one's name, description and members. */
export const saveGroupMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: ({ groupId, body }: { groupId?: string; body: GroupWrite }) =>
      groupId ? updateGroup(client, groupId, body) : createGroup(client, body),
    onSuccess: groupsChanged,
  });

export const deleteGroupMutation = (client: ApiClient) =>
  mutationOptions({
    mutationFn: (group: UserGroup) => deleteGroup(client, group.id),
    onSuccess: groupsChanged,
  });
