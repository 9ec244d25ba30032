/** Shapes of the AgentPaaS HTTP API that the UI reads and sends. */

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_at: string;
  tenant_id: string;
  role: string;
}

export interface TenantChoice {
  tenant_id: string;
  name: string;
  display_name: string;
}

/** The 202 answer of `/api/auth/login` when the email is in several tenants. */
export interface TenantSelectionRequired {
  detail: string;
  tenants: TenantChoice[];
}

export interface Me {
  id: string;
  email: string;
  display_name: string | null;
  role: string;
  tenant_id: string;
  tenant_name: string;
  tenant_display_name: string;
  /** An operator of the whole platform (tenants, plans); absent from older servers. */
  platform_admin?: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AgentSummary {
  id: string;
  name: string;
  description: string | null;
  tags: string[];
  category_id: string | null;
  /** A decimal: JSON may carry it as a string. */
  average_rating: number | string | null;
  download_count: number;
  published_at: string | null;
  current_version: { id: string; version: string } | null;
}

export type ChatStatus = "active" | "archived";

/** A chat and the agent version it is locked to. */
export interface ChatPublic {
  id: string;
  agent_id: string;
  agent_version_id: string;
  title: string;
  status: string;
  is_sandbox?: boolean;
  created_at: string;
  updated_at: string;
}

/** A chat as the list shows it: its agent, and the run in progress if any. */
export interface ChatSummary extends ChatPublic {
  expires_at?: string | null;
  agent_name?: string;
  agent_version?: string;
  active_execution_id?: string | null;
  /** pending, running, paused or interrupted (waiting for a person); null when idle. */
  active_run_status?: string | null;
}

export interface ChatMessage {
  id: string;
  parent_message_id: string | null;
  role: string;
  content: string;
  status: string;
  message_type: string;
  workflow_execution_id: string | null;
  created_at: string;
}

export interface ChatHistory {
  chat: ChatPublic;
  messages: ChatMessage[];
}

export interface NodeTypeInfo {
  id?: string;
  type_name: string;
  display_name: string;
  description: string | null;
  category: string;
  tags: string[];
  execution: string;
  config_schema: Record<string, unknown>;
  input_schema?: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
  required_services?: string[];
}

export interface Health {
  status: string;
  database: string;
  temporal: string;
}

/** Body of `POST /api/v1/chat/completions`. */
export interface CompletionRequest {
  agent_id?: string;
  agent?: string;
  chat_id?: string;
  message: string;
  parent_message_id?: string;
  config?: { temperature?: number; max_tokens?: number };
}
