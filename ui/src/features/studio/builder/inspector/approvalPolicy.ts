/**
 * A `human` node's approval policy as the builder edits it: sequential stages, each with
 * assignees (roles, groups, people), a quorum and an optional deadline. Pure changes that return
 * a new policy; empty lists and unset values are dropped, so the saved config stays minimal.
 */

export const ASSIGNEE_KINDS = ["roles", "groups", "users"] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];
export type Assignees = Partial<Record<AssigneeKind, string[]>>;

export const STAGE_DEADLINE_POLICIES = ["escalate", "reject", "fail"] as const;
export type StageDeadlinePolicy = (typeof STAGE_DEADLINE_POLICIES)[number];

export interface StageDeadline {
  after_seconds?: number;
  remind_before_seconds?: number | null;
  policy?: StageDeadlinePolicy;
  escalate_to?: Assignees | null;
  escalate_priority?: number | null;
}

export interface Stage {
  name?: string | null;
  assignees: Assignees;
  quorum?: number;
  deadline?: StageDeadline | null;
}

export interface ApprovalPolicy {
  decision_key?: string;
  on_rejection?: "branch" | "fail";
  stages: Stage[];
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The policy in a config value, or null when the node has none. */
export function readPolicy(value: unknown): ApprovalPolicy | null {
  if (!isRecord(value)) return null;
  const stages = Array.isArray(value.stages) ? value.stages.filter(isRecord) : [];
  return { ...(value as unknown as ApprovalPolicy), stages: stages as unknown as Stage[] };
}

/** A new stage: any reviewer, one must agree. */
export const newStage = (): Stage => ({ assignees: { roles: ["reviewer"] }, quorum: 1 });

/** A new policy: one stage. */
export const newPolicy = (): ApprovalPolicy => ({ stages: [newStage()] });

/** A new stage deadline: a day, then escalate. */
export const newStageDeadline = (): StageDeadline => ({ after_seconds: 86_400, policy: "escalate" });

/** `record` with undefined, null-ish empty strings and empty lists left out. */
function compact<T extends object>(record: T): T {
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as T;
}

/** The assignees with one kind's list replaced (an empty list is dropped). */
export const setAssignees = (assignees: Assignees, kind: AssigneeKind, values: string[]): Assignees =>
  compact({ ...assignees, [kind]: values });

/** The policy with stage `index` changed by `patch` (unset fields dropped). */
export function patchStage(policy: ApprovalPolicy, index: number, patch: Partial<Stage>): ApprovalPolicy {
  const stages = policy.stages.map((stage, i) => (i === index ? compact({ ...stage, ...patch }) : stage));
  return { ...policy, stages };
}

/** The policy with one more stage at the end. */
export const addStage = (policy: ApprovalPolicy): ApprovalPolicy => ({
  ...policy,
  stages: [...policy.stages, newStage()],
});

/** The policy without stage `index`. */
export const removeStage = (policy: ApprovalPolicy, index: number): ApprovalPolicy => ({
  ...policy,
  stages: policy.stages.filter((_, i) => i !== index),
});

/** The policy with stage `index` swapped with its neighbour (`by` −1: up, +1: down). */
export function moveStage(policy: ApprovalPolicy, index: number, by: -1 | 1): ApprovalPolicy {
  const target = index + by;
  if (target < 0 || target >= policy.stages.length) return policy;
  const stages = [...policy.stages];
  [stages[index], stages[target]] = [stages[target]!, stages[index]!];
  return { ...policy, stages };
}

/** The policy with its top-level options changed (unset ones dropped, so the defaults apply). */
export const patchPolicy = (
  policy: ApprovalPolicy,
  patch: Partial<Omit<ApprovalPolicy, "stages">>,
): ApprovalPolicy => ({ ...compact({ ...policy, ...patch }), stages: policy.stages });
