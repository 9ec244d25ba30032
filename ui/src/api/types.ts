/**
 * Shapes of the AgentPaaS HTTP API that the UI reads and sends.
 *
 * Each is an alias of a schema generated from the API's OpenAPI document (`schema.gen.ts`,
 * regenerated with `npm run gen:api`), so a change on the server shows up here as a type
 * error. The few hand-written ones say why the server's schema does not fit.
 */

import type { components } from "./schema.gen";

/** Every named schema of the API. */
export type Schemas = components["schemas"];

/** `T` with the properties `K` made optional: a client-side view that may not know them yet. */
export type WithOptional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type TokenPair = Schemas["TokenPair"];

export type TenantChoice = Schemas["TenantChoice"];

/** The 202 answer of `/api/auth/login` when the email is in several tenants. */
export type TenantSelectionRequired = Schemas["TenantSelectionRequired"];

export type Me = Schemas["MeResponse"];

/**
 * One page of a list. The server declares a schema per item type (`Page_ChatSummary_`…);
 * OpenAPI has no generics, so the paging fields come from one of them and `items` is `T[]`.
 */
export type Page<T> = Omit<Schemas["Page_AgentPublic_"], "items"> & { items: T[] };

export type AgentSummary = Schemas["AgentPublic"];

/** The server checks a chat's status with a pattern, which the OpenAPI types cannot carry. */
export type ChatStatus = "active" | "archived";

/** A chat and the agent version it is locked to. */
export type ChatPublic = Schemas["ChatPublic"];

/**
 * A chat as the list shows it: its agent, and the run in progress if any. The server's list
 * always names the agent and version; the UI also keeps chats it has just created or moved
 * (a `ChatPublic` merged in), whose names it does not know yet, so those two are optional.
 */
export type ChatSummary = WithOptional<Schemas["ChatSummary"], "agent_name" | "agent_version">;

export type ChatMessage = Schemas["MessagePublic"];

export type ChatHistory = Schemas["ChatHistory"];

export type NodeTypeInfo = Schemas["NodeTypePublic"];

/**
 * `GET /api/v1/health`. Hand-written: the route answers a plain JSON response (200 or 503),
 * so the OpenAPI document has no schema for it.
 */
export interface Health {
  status: string;
  database: string;
  temporal: string;
}

/**
 * Body of `POST /api/v1/chat/completions`. The server also accepts a regeneration without a
 * message (`regenerate_message_id`); the UI always sends one, so `message` is required here.
 */
export type CompletionRequest = Omit<Schemas["ChatCompletionRequest"], "message"> & { message: string };
