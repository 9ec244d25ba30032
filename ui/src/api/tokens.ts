/** Where the session's tokens live: sessionStorage (per tab), nothing else is stored. */

import type { TokenPair } from "./types";

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Access-token expiry, milliseconds since the epoch. */
  expiresAt: number;
}

/** The part of the Web Storage API we use; tests pass an in-memory one. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const STORAGE_KEY = "agentpaas.tokens";

function parseStored(raw: string | null): StoredTokens | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredTokens>;
    if (
      typeof value.accessToken === "string" &&
      typeof value.refreshToken === "string" &&
      typeof value.expiresAt === "number"
    ) {
      return { accessToken: value.accessToken, refreshToken: value.refreshToken, expiresAt: value.expiresAt };
    }
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

/** Reads and writes the current token pair. */
export class TokenStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string = STORAGE_KEY,
  ) {}

  /** The stored tokens, or null when logged out. */
  get(): StoredTokens | null {
    return parseStored(this.storage.getItem(this.key));
  }

  /** Store a pair the server just issued. */
  set(pair: TokenPair): StoredTokens {
    const expiresAt = Date.parse(pair.expires_at);
    const tokens: StoredTokens = {
      accessToken: pair.access_token,
      refreshToken: pair.refresh_token,
      // An unparseable expiry means "refresh before the next call".
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : 0,
    };
    this.storage.setItem(this.key, JSON.stringify(tokens));
    return tokens;
  }

  /** Forget the session. */
  clear(): void {
    this.storage.removeItem(this.key);
  }
}

/** An in-memory KeyValueStorage (tests, or when sessionStorage is unavailable). */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}
