/** The shared pieces the add/change forms and the cards are built from, rendered to markup. */

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/problem";
import { FoldedForm } from "../src/components/FoldedForm";
import { FormFooter } from "../src/components/FormFooter";
import { TagList } from "../src/components/TagList";

const labels = { errorContext: "Could not add the user", submitLabel: "Add user", pendingLabel: "Adding…" };

describe("FormFooter", () => {
  it("offers the submit button, disabled while the form is not ready", () => {
    const idle = renderToStaticMarkup(
      createElement(FormFooter, { ...labels, mutation: { error: null, isPending: false } }),
    );
    expect(idle).toContain('<button type="submit" class="button button--primary">Add user</button>');
    expect(idle).not.toContain('role="status"');
    expect(idle).not.toContain('role="alert"');
    const notReady = renderToStaticMarkup(
      createElement(FormFooter, { ...labels, mutation: { error: null, isPending: false }, disabled: true }),
    );
    expect(notReady).toContain('disabled="">Add user</button>');
  });

  it("waits while the mutation runs, then announces what was done", () => {
    const pending = renderToStaticMarkup(
      createElement(FormFooter, { ...labels, mutation: { error: null, isPending: true } }),
    );
    expect(pending).toContain('disabled="">Adding…</button>');
    const done = renderToStaticMarkup(
      createElement(FormFooter, { ...labels, mutation: { error: null, isPending: false }, done: "Added bob@acme.io." }),
    );
    expect(done).toContain('<p class="notice" role="status">Added bob@acme.io.</p>');
  });

  it("shows the failure with its context", () => {
    const error = new ApiError({ status: 409, title: "Conflict", detail: "The email is taken." });
    const failed = renderToStaticMarkup(
      createElement(FormFooter, { ...labels, mutation: { error, isPending: false } }),
    );
    expect(failed).toContain('role="alert"');
    expect(failed).toContain("Could not add the user");
    expect(failed).toContain("The email is taken.");
  });
});

describe("FoldedForm", () => {
  it("folds the form under its title, which also names the form", () => {
    const html = renderToStaticMarkup(
      createElement(FoldedForm, { title: "Add user", onSubmit: () => {}, noValidate: true, children: "fields" }),
    );
    expect(html).toBe(
      '<details class="new-key"><summary>Add user</summary>' +
        '<form class="new-key-form" aria-label="Add user" noValidate="">fields</form></details>',
    );
  });
});

describe("TagList", () => {
  it("shows each tag as a chip, in a paragraph or inline", () => {
    expect(renderToStaticMarkup(createElement(TagList, { tags: ["sql", "ops"], className: "card-tags" }))).toBe(
      '<p class="card-tags"><span class="tag">sql</span><span class="tag">ops</span></p>',
    );
    expect(renderToStaticMarkup(createElement(TagList, { tags: ["sql"], inline: true }))).toBe(
      '<span><span class="tag">sql</span></span>',
    );
  });

  it("shows nothing for no tags", () => {
    expect(renderToStaticMarkup(createElement(TagList, { tags: [], className: "card-tags" }))).toBe("");
  });
});
