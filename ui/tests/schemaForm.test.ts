import { describe, expect, it } from "vitest";
import { placeFieldErrors } from "../src/features/inbox/fieldErrors";
import {
  collectInput,
  formSpecFor,
  humanize,
  initialValues,
  jsonSkeleton,
  parseJsonObject,
  type FormSpec,
} from "../src/features/inbox/schemaForm";

const APPROVAL = {
  type: "object",
  additionalProperties: false,
  required: ["approved"],
  properties: {
    approved: { type: "boolean" },
    comment: { type: "string", maxLength: 4000 },
  },
};

const RICH = {
  type: "object",
  required: ["decision", "amount"],
  properties: {
    decision: { enum: ["approve", "reject", "escalate"], title: "Decision" },
    amount: { type: "number", minimum: 0, maximum: 1000, description: "In euros" },
    copies: { type: "integer", exclusiveMinimum: 0, default: 1 },
    reason: { type: ["string", "null"], maxLength: 20 },
  },
};

function spec(schema: unknown): FormSpec {
  const form = formSpecFor(schema);
  if (!form) throw new Error("expected a simple schema");
  return form;
}

describe("formSpecFor", () => {
  it("turns the default approval schema into a yes/no and a long text", () => {
    expect(spec(APPROVAL).fields.map((f) => [f.name, f.kind, f.required, f.multiline])).toEqual([
      ["approved", "boolean", true, false],
      ["comment", "string", false, true],
    ]);
  });

  it("reads enums, numbers, integers, nullable strings, titles, descriptions and bounds", () => {
    const form = spec(RICH);
    expect(form.fields.map((f) => [f.name, f.kind, f.label])).toEqual([
      ["decision", "enum", "Decision"],
      ["amount", "number", "Amount"],
      ["copies", "integer", "Copies"],
      ["reason", "string", "Reason"],
    ]);
    expect(form.fields[1]).toMatchObject({ minimum: 0, maximum: 1000, description: "In euros" });
    expect(form.fields[3]).toMatchObject({ nullable: true, maxLength: 20, multiline: false });
  });

  it("sends anything else to the JSON editor", () => {
    expect(formSpecFor({ type: "object", properties: { items: { type: "array" } } })).toBeNull();
    expect(formSpecFor({ type: "object", properties: { address: { type: "object" } } })).toBeNull();
    expect(formSpecFor({ type: "object", properties: { x: { anyOf: [{ type: "string" }] } } })).toBeNull();
    expect(formSpecFor({ type: "object", properties: { x: { enum: [{ a: 1 }] } } })).toBeNull();
    expect(formSpecFor({ type: "object", required: ["ghost"], properties: {} })).toBeNull();
    expect(formSpecFor({ type: "object" })).toBeNull(); // any object at all
    expect(formSpecFor({ type: "string" })).toBeNull();
    expect(formSpecFor(null)).toBeNull();
  });

  it("accepts an object that takes no input", () => {
    expect(formSpecFor({ type: "object", properties: {}, additionalProperties: false })).toEqual({ fields: [] });
  });
});

describe("collectInput", () => {
  it("needs an answer to a required yes/no, and omits an empty optional text", () => {
    const form = spec(APPROVAL);
    expect(collectInput(form, initialValues(form, APPROVAL))).toEqual({
      input: {},
      errors: { approved: "Choose yes or no." },
    });
    expect(collectInput(form, { approved: false, comment: "  " })).toEqual({ input: { approved: false }, errors: {} });
    expect(collectInput(form, { approved: true, comment: "fine" }).input).toEqual({ approved: true, comment: "fine" });
  });

  it("converts numbers and enum choices, and checks bounds", () => {
    const form = spec(RICH);
    const values = initialValues(form, RICH);
    expect(values).toEqual({ decision: "", amount: "", copies: "1", reason: "" });
    expect(collectInput(form, { ...values, decision: "1", amount: "12.5" })).toEqual({
      input: { decision: "reject", amount: 12.5, copies: 1 },
      errors: {},
    });
    const bad = collectInput(form, { decision: "", amount: "abc", copies: "1.5", reason: "x".repeat(21) });
    expect(bad.errors).toEqual({
      decision: "Required.",
      amount: "Enter a number.",
      copies: "Enter a whole number.",
      reason: "Enter at most 20 characters.",
    });
    expect(collectInput(form, { decision: "0", amount: "1001", copies: "0", reason: "" }).errors).toEqual({
      amount: "Enter 1000 or less.",
      copies: "Enter more than 0.",
    });
  });

  it("counts characters as code points, as JSON Schema does", () => {
    const form = spec({ type: "object", properties: { s: { type: "string", maxLength: 2 } } });
    expect(collectInput(form, { s: "😀😀" }).errors).toEqual({});
  });

  it("sends null for a required nullable field left empty", () => {
    const schema = { type: "object", required: ["note"], properties: { note: { type: ["string", "null"] } } };
    expect(collectInput(spec(schema), { note: "" })).toEqual({ input: { note: null }, errors: {} });
  });
});

describe("JSON editor helpers", () => {
  it("accepts only one JSON object", () => {
    expect(parseJsonObject('{"approved": true}')).toEqual({ ok: true, value: { approved: true } });
    expect(parseJsonObject("[1]")).toMatchObject({ ok: false });
    expect(parseJsonObject("{oops")).toMatchObject({ ok: false, error: expect.stringContaining("Not valid JSON") });
  });

  it("starts from the required properties with placeholders", () => {
    const schema = {
      type: "object",
      required: ["items", "ok", "kind"],
      properties: { items: { type: "array" }, ok: { type: "boolean" }, kind: { enum: ["a", "b"] }, x: {} },
    };
    expect(JSON.parse(jsonSkeleton(schema))).toEqual({ items: [], ok: false, kind: "a" });
    expect(jsonSkeleton({})).toBe("{}");
  });

  it("humanizes property names", () => {
    expect(humanize("due_date")).toBe("Due date");
    expect(humanize("needsFollowUp")).toBe("Needs follow up");
  });
});

describe("placeFieldErrors", () => {
  it("puts a 422's errors next to the fields they name", () => {
    const placed = placeFieldErrors(
      [
        { path: "/body/input/approved", message: "'yes' is not of type 'boolean'" },
        { path: "/body/input", message: "'comment' is a required property" },
        { path: "/body/input/items/0", message: "nested problem" },
        { path: "/body/input", message: "Additional properties are not allowed ('x' was unexpected)" },
        { path: "/body/completion_note", message: "too long" },
      ],
      ["approved", "comment"],
    );
    expect(placed.byField).toEqual({ approved: ["'yes' is not of type 'boolean'"], comment: ["Required."] });
    expect(placed.other.map((e) => e.path)).toEqual(["/body/input/items/0", "/body/input", "/body/completion_note"]);
  });

  it("unescapes JSON pointer segments and keeps everything when there is no form", () => {
    expect(placeFieldErrors([{ path: "/body/input/a~1b", message: "bad" }], ["a/b"]).byField).toEqual({
      "a/b": ["bad"],
    });
    expect(placeFieldErrors([{ path: "/body/input/a", message: "bad" }], []).other).toHaveLength(1);
  });
});
