/** Radio choice of tenant after a 202 from login. */

import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { TenantChoice } from "../../api/types";

interface Props {
  tenants: TenantChoice[];
  value: string;
  onChange: (tenant: string) => void;
}

export function TenantChooser({ tenants, value, onChange }: Props) {
  const { t } = useTranslation("auth");
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <fieldset className="tenant-chooser">
      <legend>{t("tenants.legend")}</legend>
      {tenants.map((tenant, index) => (
        <label key={tenant.tenant_id} className="tenant-option">
          <input
            ref={index === 0 ? first : undefined}
            type="radio"
            name="tenant"
            value={tenant.name}
            checked={value === tenant.name}
            onChange={() => onChange(tenant.name)}
          />
          <span>
            <span className="tenant-name">{tenant.display_name || tenant.name}</span>{" "}
            <span className="muted">{t("tenants.name", { name: tenant.name })}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
