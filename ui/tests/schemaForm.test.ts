/** The JSON-Schema form (rjsf + ajv8) as the reviewer's answer form uses it: fields, errors, languages. */

import { toErrorSchema, TranslatableString, type ErrorSchema, type RJSFSchema } from "@rjsf/utils";
import i18next from "i18next";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { SchemaForm, schemaFormDefaults, validateAgainstSchema } from "../src/components/SchemaForm";
import { placeServerErrors } from "../src/components/schemaFormErrors";
import { schemaFormErrorTransformer, schemaFormTranslator } from "../src/components/schemaFormText";
import { answerUiSchema, asksNothing, humanize, parseJsonObject } from "../src/features/inbox/answerForm";

const APPROVAL: RJSFSchema = {
  type: "object",
  additionalProperties: false,
  required: ["approved"],
  properties: {
    approved: { type: "boolean" },
    comment: { type: "string", maxLength: 4000 },
  },
};

const RICH: RJSFSchema = {
  type: "object",
  required: ["decision", "amount"],
  properties: {
    decision: { enum: ["approve", "reject", "escalate"], title: "Decision" },
    amount: { type: "number", minimum: 0, maximum: 1000, description: "In euros" },
    copies: { type: "integer", exclusiveMinimum: 0, default: 1 },
    reason: { type: ["string", "null"], maxLength: 20 },
    address: { type: "object", required: ["city"], properties: { city: { type: "string" } } },
    tags: { type: "array", items: { type: "string" } },
  },
};

const en = i18next.getFixedT("en", "schemaForm");
const zh = i18next.getFixedT("zh-CN", "schemaForm");

/** The answer form as the task page renders it (ids start with "answer"). */
function render(schema: RJSFSchema, options: { formData?: Record<string, unknown>; extraErrors?: ErrorSchema } = {}) {
  return renderToStaticMarkup(
    createElement(SchemaForm, {
      schema,
      uiSchema: answerUiSchema(schema),
      formData: options.formData ?? schemaFormDefaults(schema, {}, { requireBooleanChoice: true }),
      requireBooleanChoice: true,
      idPrefix: "answer",
      extraErrors: options.extraErrors,
      submitLabel: "Send answer",
      onChange: () => undefined,
      onSubmit: () => undefined,
    }),
  );
}

/** The messages shown under the field with id `id`. */
function errorsOf(html: string, id: string): string[] {
  const block = new RegExp(`<div id="${id}__error" class="field-error">(.*?)</div>`).exec(html)?.[1] ?? "";
  return [...block.matchAll(/<span class="field-error-item">(.*?)<\/span>/g)].map((m) =>
    (m[1] ?? "")
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&"),
  );
}

/** The field's control must point at its errors for screen readers. */
function describedBy(html: string, id: string): string {
  return new RegExp(`id="${id}"[^>]*aria-describedby="([^"]*)"`).exec(html)?.[1] ?? "";
}

afterEach(async () => {
  await i18next.changeLanguage("en");
});

describe("SchemaForm", () => {
  it("renders the approval schema: a required yes/no with nothing chosen, and a text area", () => {
    const html = render(APPROVAL);
    // The yes/no pair is a group named by its legend.
    expect(html).toMatch(
      /<fieldset class="schema-form-choice"><legend class="field-label">Approved<span class="required">\(required\)<\/span><\/legend><div class="field-radio-group" id="answer_approved"/,
    );
    expect(html).toMatch(/<input type="radio" id="answer_approved-0"[^>]*>\s*<span>Yes<\/span>/);
    expect(html).toMatch(/<input type="radio" id="answer_approved-1"[^>]*>\s*<span>No<\/span>/);
    expect(html).not.toMatch(/type="radio"[^>]*checked/); // a reviewer must choose
    expect(html).toMatch(
      /<label class="field-label" for="answer_comment">Comment<\/label>\s*<textarea id="answer_comment"/,
    );
    expect(html).toContain('<button type="submit" class="button button--primary">Send answer</button>');
    expect(html).not.toContain("btn"); // no Bootstrap markup
  });

  it("renders choices, numbers with their bounds, defaults, nested objects and lists", () => {
    const html = render(RICH);
    expect(html).toMatch(
      /<select id="answer_decision"[^>]*><option value=""[^>]*>Choose…<\/option><option value="0">approve<\/option>/,
    );
    expect(html).toMatch(/<input id="answer_amount"[^>]*type="number"[^>]*min="0" max="1000"/);
    expect(html).toContain('<span id="answer_amount__description" class="muted field-hint">In euros</span>');
    expect(html).toMatch(/<input id="answer_copies"[^>]*value="1"/);
    expect(html).toContain(
      '<legend id="answer_address__title" class="field-label schema-form-legend">Address</legend>',
    );
    expect(html).toContain('for="answer_address_city">City<span class="required">(required)</span>');
    expect(html).toContain("+ Add item</button>");
    // Required fields come first, as the schema lists them.
    expect(html.indexOf('id="answer_decision"')).toBeLessThan(html.indexOf('id="answer_copies"'));
  });

  it("shows a missing required answer under its field", () => {
    const errors = validateAgainstSchema(
      APPROVAL,
      schemaFormDefaults(APPROVAL, {}, { requireBooleanChoice: true }),
      en,
    );
    expect(errors.map((e) => [e.property, e.message])).toEqual([["approved", "Required."]]);
    const html = render(APPROVAL, { extraErrors: toErrorSchema(errors) });
    expect(errorsOf(html, "answer_approved")).toEqual(["Required."]);
    expect(describedBy(html, "answer_approved-0")).toContain("answer_approved__error");
    expect(errorsOf(html, "answer_comment")).toEqual([]);
  });

  it("shows a server 422's errors on the fields their paths name, and lists the rest", () => {
    const placed = placeServerErrors(
      [
        { path: "/body/input/approved", message: "'yes' is not of type 'boolean'" },
        { path: "/body/input", message: "'comment' is a required property" },
        { path: "/body/input", message: "Additional properties are not allowed ('x' was unexpected)" },
        { path: "/body/input/ghost", message: "not a field" },
        { path: "/body/completion_note", message: "too long" },
      ],
      { prefixes: ["/body/input"], schema: APPROVAL, requiredMessage: "Required." },
    );
    expect(placed.other.map((e) => e.path)).toEqual(["/body/input", "/body/input/ghost", "/body/completion_note"]);
    const html = render(APPROVAL, { formData: { approved: true }, extraErrors: placed.errorSchema });
    expect(errorsOf(html, "answer_approved")).toEqual(["'yes' is not of type 'boolean'"]);
    expect(errorsOf(html, "answer_comment")).toEqual(["Required."]);
    expect(describedBy(html, "answer_comment")).toContain("answer_comment__error");
  });

  it("places nested server errors and unescapes JSON pointers", () => {
    const placed = placeServerErrors(
      [
        { path: "/body/input/address/city", message: "bad city" },
        { path: "/body/input/tags/1", message: "bad tag" },
        { path: "/body/input/a~1b", message: "bad slash" },
      ],
      {
        prefixes: ["/body/input"],
        schema: { ...RICH, properties: { ...RICH.properties, "a/b": { type: "string" } } },
        requiredMessage: "Required.",
      },
    );
    expect(placed.errorSchema).toEqual({
      address: { city: { __errors: ["bad city"] } },
      tags: { 1: { __errors: ["bad tag"] } },
      "a/b": { __errors: ["bad slash"] },
    });
    expect(placed.other).toEqual([]);
  });
});

describe("validation messages", () => {
  const bad = { decision: "maybe", amount: 1001, copies: 1.5, reason: "x".repeat(21), address: {} };

  it("says what is wrong in English", () => {
    const messages = validateAgainstSchema(RICH, bad, en).map((e) => [e.property, e.message]);
    expect(messages).toEqual(
      expect.arrayContaining([
        [".decision", "Choose one of the options."],
        [".amount", "Enter 1000 or less."],
        [".copies", "Enter a whole number."],
        [".reason", "Enter at most 20 characters."],
        [".address.city", "Required."],
      ]),
    );
  });

  it("says it in Chinese when the language is zh-CN", () => {
    const messages = validateAgainstSchema(RICH, bad, zh).map((e) => [e.property, e.message]);
    expect(messages).toEqual(
      expect.arrayContaining([
        [".decision", "请从选项中选择。"],
        [".amount", "请输入不大于 1000 的数。"],
        [".copies", "请输入整数。"],
        [".reason", "最多输入 20 个字符。"],
        [".address.city", "必填。"],
      ]),
    );
  });

  it("translates each common keyword from ajv's params", () => {
    const transform = schemaFormErrorTransformer(zh);
    const error = (name: string, params: Record<string, unknown>) => ({
      name,
      params,
      property: ".x",
      message: "ajv",
      stack: ".x ajv",
    });
    const messages = transform([
      error("required", { missingProperty: "x" }),
      error("type", { type: "string" }),
      error("minimum", { comparison: ">=", limit: 2 }),
      error("maximum", { comparison: "<=", limit: 9 }),
      error("minLength", { limit: 3 }),
      error("maxLength", { limit: 5 }),
      error("pattern", { pattern: "^a+$" }),
      error("enum", { allowedValues: ["a"] }),
      error("format", { format: "email" }),
      error("somethingElse", {}),
    ]).map((e) => e.message);
    expect(messages).toEqual([
      "必填。",
      "请输入文本。",
      "请输入不小于 2 的数。",
      "请输入不大于 9 的数。",
      "至少输入 3 个字符。",
      "最多输入 5 个字符。",
      "格式不符合要求（^a+$）。",
      "请从选项中选择。",
      "请输入有效的邮箱地址。",
      "ajv", // unknown keywords keep ajv's text
    ]);
    expect(transform([error("required", {})])[0]?.stack).toBe("x：必填。");
  });

  it("translates rjsf's own labels and buttons", () => {
    const translate = schemaFormTranslator(zh);
    expect(translate(TranslatableString.AddItemButton)).toBe("添加一项");
    expect(translate(TranslatableString.RemoveButton)).toBe("删除");
    expect(translate(TranslatableString.KeyLabel, ["标签"])).toBe("标签 键名");
    expect(schemaFormTranslator(en)(TranslatableString.OptionPrefix, ["2"])).toBe("Option 2");
  });

  it("renders the form in Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    const html = render(RICH);
    expect(html).toContain('<span class="required">（必填）</span>');
    expect(html).toContain("请选择…");
    expect(html).toContain("+ 添加一项</button>");
  });
});

describe("the answer form's uiSchema", () => {
  it("asks yes/no with radios, long texts in a text area, and names untitled fields", () => {
    const ui = answerUiSchema(APPROVAL);
    expect(ui.approved).toMatchObject({ "ui:widget": "radio", "ui:title": "Approved" });
    expect(ui.comment).toMatchObject({ "ui:widget": "textarea", "ui:title": "Comment" });
    expect(answerUiSchema(RICH).reason).toEqual({ "ui:title": "Reason" }); // 20 characters fit on a line
    expect(answerUiSchema(RICH).decision).toEqual({}); // has a title
    expect(
      answerUiSchema({ type: "object", required: ["ghost", "b"], properties: { a: {}, b: {} } })["ui:order"],
    ).toEqual(["b", "*"]);
  });

  it("humanizes property names", () => {
    expect(humanize("due_date")).toBe("Due date");
    expect(humanize("needsFollowUp")).toBe("Needs follow up");
  });

  it("knows a schema that asks for nothing", () => {
    expect(asksNothing({ type: "object", properties: {}, additionalProperties: false })).toBe(true);
    expect(asksNothing(APPROVAL)).toBe(false);
  });

  it("reads only one JSON object from the editor", () => {
    expect(parseJsonObject('{"approved": true}')).toEqual({ ok: true, value: { approved: true } });
    expect(parseJsonObject("[1]")).toEqual({ ok: false, reason: "notObject" });
    expect(parseJsonObject("{oops")).toMatchObject({ ok: false, reason: "syntax" });
  });
});
