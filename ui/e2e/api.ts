/**
 * The platform's HTTP API as the journeys' setup uses it: log in, publish agents from catalog
 * templates (developer creates, reviewer approves), start runs. Browser steps never use this;
 * it only prepares what a person would otherwise click through first.
 */

/** The demo tenant's seeded accounts (one per role; `admin` is also admin of tenant `platform`). */
export const PASSWORD = "agentpaas-demo";
export const USERS = {
  admin: "admin@demo.agentpaas.dev",
  developer: "developer@demo.agentpaas.dev",
  reviewer: "reviewer@demo.agentpaas.dev",
  user: "user@demo.agentpaas.dev",
} as const;
export type Role = keyof typeof USERS;

/** A call that did not answer as expected, with the server's problem document. */
export class ApiCallError extends Error {}

/** A logged-in caller of the API (bearer token). */
export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** The Authorization header's value. */
  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** Log in as a seeded account; `tenant` picks one when the email is in several. */
  static async login(baseUrl: string, role: Role, tenant = "demo"): Promise<Api> {
    const body = { email: USERS[role], password: PASSWORD, tenant };
    const response = await fetch(`${baseUrl}/api/auth/login-with-tenant`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status !== 200)
      throw new ApiCallError(`login as ${role}: ${response.status} ${await response.text()}`);
    const { access_token: token } = (await response.json()) as { access_token: string };
    return new Api(baseUrl, token);
  }

  /** One JSON request; anything but a 2xx throws with the response body. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: this.authorization,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiCallError(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** An agent the journeys use: its store id and name. */
export interface PublishedAgent {
  id: string;
  name: string;
}

interface Spec {
  name: string;
  description: string;
  template: string;
  parameters: Record<string, unknown>;
  tags: string[];
}

/** Publish an agent built from a catalog template: the developer creates and submits, a reviewer approves. */
export async function publishFromTemplate(baseUrl: string, spec: Spec): Promise<PublishedAgent> {
  const developer = await Api.login(baseUrl, "developer");
  const reviewer = await Api.login(baseUrl, "reviewer");
  const agent = await developer.call<{ id: string }>("POST", "/api/v1/developer/agents", {
    name: spec.name,
    description: spec.description,
    tags: spec.tags,
  });
  const version = await developer.call<{ id: string }>("POST", `/api/v1/developer/agents/${agent.id}/versions`, {
    version: "1.0.0",
    template_name: spec.template,
    template_parameters: spec.parameters,
    changelog: "Published by the browser journeys' setup.",
  });
  await developer.call("POST", `/api/v1/developer/agents/${agent.id}/versions/${version.id}/submit`);
  await reviewer.call("POST", `/api/v1/reviews/versions/${version.id}/approve`, { note: "ok" });
  return { id: agent.id, name: spec.name };
}

/** Wait until `probe` returns a value (not undefined), polling every half second. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A finished chat turn with a published agent (by name), streamed to its end; returns the chat id. */
export async function chatTurn(api: Api, agent: string, message: string): Promise<string> {
  const response = await fetch(`${api.baseUrl}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: api.authorization, "content-type": "application/json" },
    body: JSON.stringify({ agent, message }),
  });
  const stream = await response.text(); // the SSE stream, read until the run ends
  const chatId = response.headers.get("x-chat-id");
  if (!response.ok || !chatId || !/event: ?done/.test(stream)) {
    throw new ApiCallError(`chat turn with ${agent}: ${response.status} ${stream.slice(-500)}`);
  }
  return chatId;
}

/** Run an agent outside a chat and wait for the reviewer task it opens (its instruction holds `token`). */
export async function openTask(api: Api, agentId: string, token: string): Promise<string> {
  await api.call("POST", `/api/v1/agents/${agentId}/execute`, { message: `Tell me the time (${token})` });
  return waitFor(
    `a reviewer task for ${token}`,
    async () => {
      const tasks = await api.call<{ items: { task_id: string; instruction: string | null }[] }>(
        "GET",
        "/api/v1/reviews/tasks?status=pending&limit=100",
      );
      return tasks.items.find((task) => task.instruction?.includes(token))?.task_id;
    },
    30_000,
  );
}
