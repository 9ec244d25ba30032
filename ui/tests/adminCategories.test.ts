// @vitest-environment jsdom
/**
 * The Admin area's store categories: the tree with the shared categories read-only, and the
 * tenant's own added, renamed, moved and deleted — a refused delete (agents still in it) says why
 * in the dialog. The parent choices never offer a category itself or anything under it.
 */

import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { createElement } from "react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ServicesContext } from "../src/app/context";
import { CategoriesPanel } from "../src/features/admin/CategoriesPanel";
import { ownCount, parentChoices, type Category } from "../src/features/admin/categories";
import { stubDialogs } from "./helpers/canvasDom";
import { json, problem, scriptedFetch, type RecordedCall } from "./helpers/http";
import { signedInServices } from "./helpers/services";

const node = (id: string, name: string, parent: string | null, shared: boolean, children: Category[] = []) =>
  ({ id, name, description: null, parent_id: parent, shared, children }) satisfies Category;

const TREE: Category[] = [
  node("eng", "Engineering", null, true, [node("ops", "Ops bots", "eng", false)]),
  node("fin", "Finance", null, false, [node("inv", "Invoices", "fin", false, [node("vat", "VAT", "inv", false)])]),
];

const TREE_LABEL = "Category tree";

beforeAll(stubDialogs);
afterEach(cleanup);

describe("parent choices", () => {
  it("lists every category in tree order with its depth", () => {
    expect(parentChoices(TREE).map((c) => `${c.depth}:${c.name}`)).toEqual([
      "0:Engineering",
      "1:Ops bots",
      "0:Finance",
      "1:Invoices",
      "2:VAT",
    ]);
    expect(ownCount(TREE)).toBe(4);
  });

  it("leaves out the category being moved and everything under it", () => {
    expect(parentChoices(TREE, "fin").map((c) => c.name)).toEqual(["Engineering", "Ops bots"]);
    expect(parentChoices(TREE, "inv").map((c) => c.name)).toEqual(["Engineering", "Ops bots", "Finance"]);
  });
});

function setup(routes: Parameters<typeof scriptedFetch>[0]) {
  const http = scriptedFetch({ "GET /api/v1/categories": () => json(200, TREE), ...routes });
  const { services, queryClient } = signedInServices(http.fetch, "admin");
  render(
    createElement(
      ServicesContext.Provider,
      { value: services },
      createElement(QueryClientProvider, { client: queryClient }, createElement(CategoriesPanel)),
    ),
  );
  return http;
}

const sent = (http: { calls: RecordedCall[] }, method: string) => http.calls.filter((c) => c.method === method);
const row = (name: string) => document.querySelector<HTMLElement>(`[data-category="${name}"] > .category-row`)!;

describe("the categories tab", () => {
  it("shows shared categories read-only and offers changes on the tenant's own", async () => {
    setup({});
    await screen.findByRole("list", { name: TREE_LABEL });
    expect(within(row("Engineering")).getByText("Shared")).toBeTruthy();
    expect(within(row("Engineering")).queryByRole("button")).toBeNull();
    expect(within(row("Finance")).getByRole("button", { name: "Rename Finance" })).toBeTruthy();
    expect(within(row("Finance")).getByRole("button", { name: "Delete Finance" })).toBeTruthy();
    expect(screen.getByText("4 categories of your own")).toBeTruthy();
  });

  it("adds a category under another one", async () => {
    const http = setup({ "POST /api/v1/categories": () => json(201, node("legal", "Legal", "eng", false)) });
    await screen.findByRole("list", { name: TREE_LABEL });
    const form = screen.getByRole("form", { name: "Add a category" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "  Legal " } });
    fireEvent.change(within(form).getByLabelText("Under"), { target: { value: "eng" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add category" }));
    await waitFor(() => expect(sent(http, "POST")).toHaveLength(1));
    expect(sent(http, "POST")[0]!.body).toEqual({ name: "Legal", parent_id: "eng", description: null });
    await within(form).findByText("Added Legal.");
  });

  it("renames in place and moves with the 'under' choice", async () => {
    const http = setup({
      "PATCH /api/v1/categories/inv": [
        () => json(200, node("inv", "Bills", "fin", false)),
        () => json(200, node("inv", "Bills", null, false)),
      ],
    });
    await screen.findByRole("list", { name: TREE_LABEL });
    fireEvent.click(within(row("Invoices")).getByRole("button", { name: "Rename Invoices" }));
    const input = within(row("Invoices")).getByRole("textbox", { name: "New name of Invoices" });
    fireEvent.change(input, { target: { value: "Bills" } });
    fireEvent.submit(input.closest("form")!);
    await waitFor(() => expect(sent(http, "PATCH")).toHaveLength(1));
    expect(sent(http, "PATCH")[0]!.body).toEqual({ name: "Bills" });

    const move = within(row("Invoices")).getByLabelText("Move Invoices under") as HTMLSelectElement;
    expect(move.value).toBe("fin");
    // Neither itself nor its own sub-category is offered.
    expect([...move.options].map((o) => o.textContent?.trim())).toEqual([
      "Top level",
      "Engineering",
      "Ops bots",
      "Finance",
    ]);
    fireEvent.change(move, { target: { value: "" } });
    await waitFor(() => expect(sent(http, "PATCH")).toHaveLength(2));
    expect(sent(http, "PATCH")[1]!.body).toEqual({ parent_id: null });
  });

  it("asks before deleting and shows why a delete was refused", async () => {
    const http = setup({
      "DELETE /api/v1/categories/fin": () => problem(409, "'Finance' still holds 1 agent; move them first"),
    });
    await screen.findByRole("list", { name: TREE_LABEL });
    fireEvent.click(within(row("Finance")).getByRole("button", { name: "Delete Finance" }));
    const dialog = screen.getByRole("dialog", { name: "Delete this category?" });
    expect(within(dialog).getByText(/Finance disappears from the store's filter/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await within(dialog).findByText(/still holds 1 agent/);
    expect(sent(http, "DELETE")).toHaveLength(1);
  });

  it("speaks Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    try {
      setup({});
      await screen.findByRole("list", { name: "分类树" });
      expect(screen.getByRole("heading", { name: "商店分类" })).toBeTruthy();
      expect(within(row("Engineering")).getByText("共享")).toBeTruthy();
      expect(within(row("Finance")).getByRole("button", { name: "删除 Finance" })).toBeTruthy();
    } finally {
      await i18next.changeLanguage("en");
    }
  });
});
