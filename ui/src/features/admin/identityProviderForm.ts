/** The identity-provider form's fields as text, and the PUT body they make (pure, tested). */

import type { IdentityProvider, IdentityProviderSettings } from "../../api/identityProvider";
import { USER_ROLES, type UserRole } from "../../api/users";

export interface IdentityProviderForm {
  issuer: string;
  clientId: string;
  /** Blank: keep the stored secret. */
  clientSecret: string;
  scopes: string;
  /** Comma- or space-separated domains. */
  allowedDomains: string;
  roleClaim: string;
  /** One `claim value = role` per line. */
  roleMapping: string;
  defaultRole: UserRole;
  jitProvisioning: boolean;
  localLoginEnabled: boolean;
  enabled: boolean;
}

export const EMPTY_FORM: IdentityProviderForm = {
  issuer: "",
  clientId: "",
  clientSecret: "",
  scopes: "openid email profile",
  allowedDomains: "",
  roleClaim: "",
  roleMapping: "",
  defaultRole: "user",
  jitProvisioning: true,
  localLoginEnabled: true,
  enabled: true,
};

function isRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** The form showing what is stored (the secret stays blank: it is never sent back). */
export function formOf(provider: IdentityProvider | null): IdentityProviderForm {
  if (!provider) return EMPTY_FORM;
  return {
    issuer: provider.issuer,
    clientId: provider.client_id,
    clientSecret: "",
    scopes: provider.scopes,
    allowedDomains: provider.allowed_domains.join(", "),
    roleClaim: provider.role_claim ?? "",
    roleMapping: Object.entries(provider.role_mapping)
      .map(([value, role]) => `${value} = ${role}`)
      .join("\n"),
    defaultRole: isRole(provider.default_role) ? provider.default_role : "user",
    jitProvisioning: provider.jit_provisioning,
    localLoginEnabled: provider.local_login_enabled,
    enabled: provider.enabled,
  };
}

/** Lines of the mapping that are not `value = role` with a known role (1-based), for the form to point at. */
export function badMappingLines(text: string): number[] {
  return text
    .split("\n")
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== "")
    .filter(({ line }) => {
      const at = line.lastIndexOf("=");
      return at <= 0 || !isRole(line.slice(at + 1).trim()) || !line.slice(0, at).trim();
    })
    .map(({ number }) => number);
}

/** The PUT body of a form (call once `badMappingLines` is empty). */
export function settingsOf(form: IdentityProviderForm): IdentityProviderSettings {
  const mapping: Record<string, UserRole> = {};
  for (const raw of form.roleMapping.split("\n")) {
    const line = raw.trim();
    const at = line.lastIndexOf("=");
    const role = line.slice(at + 1).trim();
    if (at > 0 && isRole(role)) mapping[line.slice(0, at).trim()] = role;
  }
  return {
    issuer: form.issuer.trim(),
    client_id: form.clientId.trim(),
    ...(form.clientSecret ? { client_secret: form.clientSecret } : {}),
    scopes: form.scopes.trim(),
    allowed_domains: form.allowedDomains.split(/[\s,]+/).filter(Boolean),
    role_claim: form.roleClaim.trim() || null,
    role_mapping: mapping,
    default_role: form.defaultRole,
    jit_provisioning: form.jitProvisioning,
    local_login_enabled: form.localLoginEnabled,
    enabled: form.enabled,
  };
}
