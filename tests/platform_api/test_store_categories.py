"""Tenant admins edit their store's own categories beside the shared, seeded tree."""

from __future__ import annotations

from typing import Any

from tests.helpers import Platform, fresh_tenant_admin_token, login


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _flat(tree: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every category of a tree by name, each with its parent's name."""
    found: dict[str, dict[str, Any]] = {}

    def walk(nodes: list[dict[str, Any]], parent: str | None) -> None:
        for node in nodes:
            found[node["name"]] = {**node, "parent": parent}
            walk(node["children"], node["name"])

    walk(tree, None)
    return found


async def _tree(platform: Platform, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    response = await platform.client.get("/api/v1/categories", headers=headers)
    assert response.status_code == 200, response.text
    return _flat(response.json())


async def test_an_admin_creates_renames_moves_and_deletes_own_categories(
    platform: Platform, database_urls: Any
) -> None:
    client = platform.client
    admin = _auth(await fresh_tenant_admin_token(platform, database_urls.admin_url, "cats"))
    shared = await _tree(platform, admin)
    assert shared["Engineering"]["shared"] is True

    finance = await client.post(
        "/api/v1/categories", json={"name": " Finance ", "description": "Money"}, headers=admin
    )
    assert finance.status_code == 201, finance.text
    assert finance.json()["name"] == "Finance" and finance.json()["shared"] is False
    finance_id = finance.json()["id"]
    invoices = await client.post(
        "/api/v1/categories", json={"name": "Invoices", "parent_id": finance_id}, headers=admin
    )
    assert invoices.status_code == 201, invoices.text
    invoices_id = invoices.json()["id"]
    # Under a shared category too.
    ops = await client.post(
        "/api/v1/categories",
        json={"name": "Ops bots", "parent_id": shared["Engineering"]["id"]},
        headers=admin,
    )
    assert ops.status_code == 201, ops.text
    tree = await _tree(platform, admin)
    assert tree["Invoices"]["parent"] == "Finance" and tree["Ops bots"]["parent"] == "Engineering"
    assert tree["Finance"]["shared"] is False and tree["Invoices"]["parent_id"] == finance_id

    # Names are unique among the shared ones and the tenant's own, in any case.
    for taken in ("finance", "Engineering"):
        again = await client.post("/api/v1/categories", json={"name": taken}, headers=admin)
        assert again.status_code == 409, taken
    blank = await client.post("/api/v1/categories", json={"name": "   "}, headers=admin)
    assert blank.status_code == 422
    orphan = await client.post(
        "/api/v1/categories",
        json={"name": "Orphan", "parent_id": "00000000-0000-0000-0000-000000000000"},
        headers=admin,
    )
    assert orphan.status_code == 422 and orphan.json()["errors"][0]["path"] == "/body/parent_id"

    # Rename, then move: never under itself or below its own sub-categories.
    renamed = await client.patch(
        f"/api/v1/categories/{finance_id}", json={"name": "Finance & tax"}, headers=admin
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Finance & tax"
    for parent in (finance_id, invoices_id):
        loop = await client.patch(
            f"/api/v1/categories/{finance_id}", json={"parent_id": parent}, headers=admin
        )
        assert loop.status_code == 409, parent
    moved = await client.patch(
        f"/api/v1/categories/{invoices_id}", json={"parent_id": None}, headers=admin
    )
    assert moved.status_code == 200 and moved.json()["parent_id"] is None
    under = await client.patch(
        f"/api/v1/categories/{finance_id}", json={"parent_id": invoices_id}, headers=admin
    )
    assert under.status_code == 200 and under.json()["parent_id"] == invoices_id
    assert (await _tree(platform, admin))["Finance & tax"]["parent"] == "Invoices"

    # Shared categories are the platform's: read-only here.
    engineering = f"/api/v1/categories/{shared['Engineering']['id']}"
    rename_shared = await client.patch(engineering, json={"name": "Mine"}, headers=admin)
    assert rename_shared.status_code == 403 and "shared" in rename_shared.json()["detail"]
    assert (await client.delete(engineering, headers=admin)).status_code == 403

    # Delete refuses while a sub-category or an agent is in the category.
    busy = await client.delete(f"/api/v1/categories/{invoices_id}", headers=admin)
    assert busy.status_code == 409 and "1 sub-category" in busy.json()["detail"]
    agent = await client.post(
        "/api/v1/developer/agents",
        json={"name": "Bookkeeper", "category_id": finance_id},
        headers=admin,
    )
    assert agent.status_code == 201, agent.text
    used = await client.delete(f"/api/v1/categories/{finance_id}", headers=admin)
    assert used.status_code == 409 and "1 agent" in used.json()["detail"]
    moved_out = await client.patch(
        f"/api/v1/developer/agents/{agent.json()['id']}", json={"category_id": None}, headers=admin
    )
    assert moved_out.status_code == 200, moved_out.text
    deleted = await client.delete(f"/api/v1/categories/{finance_id}", headers=admin)
    assert deleted.status_code == 204
    emptied = await client.delete(f"/api/v1/categories/{invoices_id}", headers=admin)
    assert emptied.status_code == 204
    tree = await _tree(platform, admin)
    assert "Finance & tax" not in tree and "Invoices" not in tree and "Ops bots" in tree


async def test_categories_are_the_tenants_own(platform: Platform, database_urls: Any) -> None:
    client = platform.client
    first = _auth(await fresh_tenant_admin_token(platform, database_urls.admin_url, "cata"))
    second = _auth(await fresh_tenant_admin_token(platform, database_urls.admin_url, "catb"))
    created = await client.post("/api/v1/categories", json={"name": "Legal"}, headers=first)
    assert created.status_code == 201, created.text
    legal = created.json()["id"]

    # The other tenant does not see it, cannot touch it, nor build on it...
    assert "Legal" not in await _tree(platform, second)
    path = f"/api/v1/categories/{legal}"
    assert (await client.patch(path, json={"name": "x"}, headers=second)).status_code == 404
    assert (await client.delete(path, headers=second)).status_code == 404
    child = await client.post(
        "/api/v1/categories", json={"name": "Contracts", "parent_id": legal}, headers=second
    )
    assert child.status_code == 422
    agent = await client.post(
        "/api/v1/developer/agents", json={"name": "Lawyer", "category_id": legal}, headers=second
    )
    assert agent.status_code == 422
    # ...and may use the same name for a category of its own.
    same = await client.post("/api/v1/categories", json={"name": "Legal"}, headers=second)
    assert same.status_code == 201, same.text
    assert same.json()["id"] != legal
    assert (await _tree(platform, first))["Legal"]["id"] == legal


async def test_only_admins_edit_categories(platform: Platform) -> None:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    for role in ("developer", "reviewer", "user"):
        headers = _auth(await login(platform.client, f"{role}@{domain}"))
        refused = await platform.client.post(
            "/api/v1/categories", json={"name": f"By {role}"}, headers=headers
        )
        assert refused.status_code == 403, role
        assert (await platform.client.get("/api/v1/categories", headers=headers)).status_code == 200
