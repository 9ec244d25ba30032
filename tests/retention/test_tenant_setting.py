"""A platform admin sets a tenant's audit retention through the tenant settings API."""

from __future__ import annotations

from agentpaas.runtime.postgres import DatabaseUrls
from tests.helpers import Platform
from tests.platform_api.test_tenancy_admin import new_tenant, platform_admin


async def test_the_audit_retention_setting_is_validated_and_kept(
    platform: Platform, database_urls: DatabaseUrls
) -> None:
    headers = await platform_admin(platform, database_urls)
    tenant = await new_tenant(platform.client, headers, settings={"audit_retention_days": 365})
    assert tenant["settings"] == {"audit_retention_days": 365}
    url = f"/api/v1/platform/tenants/{tenant['id']}"

    too_short = await platform.client.patch(
        url, json={"settings": {"audit_retention_days": 1}}, headers=headers
    )
    assert too_short.status_code == 422, too_short.text
    problem = too_short.json()
    assert problem["status"] == 422 and "audit_retention_days" in str(problem["errors"])

    ok = await platform.client.patch(
        url, json={"settings": {"audit_retention_days": 30, "theme": "dark"}}, headers=headers
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["settings"] == {"audit_retention_days": 30, "theme": "dark"}
