/** Who is logged in: restores a session from stored tokens, logs in and out. */

import {
  changePassword,
  fetchMe,
  login,
  loginWithTenant,
  logout,
  logoutEverywhere,
  type LoginOutcome,
} from "../api/auth";
import type { ApiClient } from "../api/client";
import { toApiError } from "../api/problem";
import type { TokenStore } from "../api/tokens";
import type { Me, TokenPair } from "../api/types";
import { Observable } from "../lib/observable";

/** Why the person sees the login page again; the login page says it in their language. */
export type SessionNotice = "session-expired" | "logged-out-everywhere";

export type SessionState =
  { status: "checking" } | { status: "anonymous"; notice: SessionNotice | null } | { status: "ready"; me: Me };

export class SessionStore extends Observable<SessionState> {
  constructor(
    private readonly client: ApiClient,
    private readonly tokens: TokenStore,
    private readonly onLogout: () => void,
  ) {
    super(tokens.get() ? { status: "checking" } : { status: "anonymous", notice: null });
  }

  /** On start: if tokens are stored, check them by loading the account. */
  async restore(): Promise<void> {
    if (!this.tokens.get()) {
      this.update(() => ({ status: "anonymous", notice: null }));
      return;
    }
    try {
      await this.loadMe();
    } catch {
      this.update(() => ({ status: "anonymous", notice: null }));
    }
  }

  /** Log in; resolves to the outcome (a tenant choice may be needed). Throws ApiError. */
  async login(email: string, password: string): Promise<LoginOutcome> {
    const outcome = await login(this.client, this.tokens, email, password);
    if (outcome.kind === "signed-in") await this.loadMe();
    return outcome;
  }

  /** Sign in with a pair issued outside the password form (the identity provider's way back). Throws ApiError. */
  async adoptTokens(pair: TokenPair): Promise<void> {
    this.tokens.set(pair);
    await this.loadMe();
  }

  /** Log in to the chosen tenant. Throws ApiError. */
  async loginWithTenant(email: string, password: string, tenant: string): Promise<void> {
    await loginWithTenant(this.client, this.tokens, email, password, tenant);
    await this.loadMe();
  }

  /**
   * Log out: end this login on the server (its refresh token stops working), then forget
   * the tokens and every open chat. The local logout happens even if the server cannot
   * be reached, so the button always works.
   */
  async logout(): Promise<void> {
    const tokens = this.tokens.get();
    if (tokens) {
      try {
        await logout(this.client, tokens.refreshToken);
      } catch {
        // Offline or already revoked: the tokens are forgotten below all the same.
      }
    }
    this.forget(null);
  }

  /** Revoke every token of the account on every device, then forget this session. Throws ApiError. */
  async logoutEverywhere(): Promise<void> {
    try {
      await logoutEverywhere(this.client);
    } catch (error) {
      const problem = toApiError(error);
      // 401: the session is already over here (the client has ended it).
      if (problem.status !== 401) throw problem;
    }
    this.forget("logged-out-everywhere");
  }

  /** Change the password; other sessions end, this one continues with the new tokens. Throws ApiError. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await changePassword(this.client, this.tokens, { current_password: currentPassword, new_password: newPassword });
  }

  /** The API said the session cannot be renewed. */
  expired(): void {
    if (this.getState().status === "ready") this.forget("session-expired");
  }

  private forget(notice: SessionNotice | null): void {
    this.tokens.clear();
    this.onLogout();
    this.update(() => ({ status: "anonymous", notice }));
  }

  /** Load the account; on failure forget the tokens, so a half-made session never lingers. */
  private async loadMe(): Promise<void> {
    let me: Me;
    try {
      me = await fetchMe(this.client);
    } catch (error) {
      this.tokens.clear();
      throw toApiError(error);
    }
    this.update(() => ({ status: "ready", me }));
  }
}
