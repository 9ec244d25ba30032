import { describe, expect, it } from "vitest";
import { shouldSubmit } from "../src/components/composerKeys";

describe("shouldSubmit", () => {
  it("sends on Enter", () => {
    expect(shouldSubmit({ key: "Enter", shiftKey: false })).toBe(true);
  });

  it("inserts a newline on Shift+Enter or Alt+Enter", () => {
    expect(shouldSubmit({ key: "Enter", shiftKey: true })).toBe(false);
    expect(shouldSubmit({ key: "Enter", shiftKey: false, altKey: true })).toBe(false);
  });

  it("never sends while an IME is composing (Chinese input picks a candidate with Enter)", () => {
    expect(shouldSubmit({ key: "Enter", shiftKey: false, isComposing: true })).toBe(false);
    expect(shouldSubmit({ key: "Enter", shiftKey: false, keyCode: 229 })).toBe(false);
  });

  it("ignores other keys", () => {
    expect(shouldSubmit({ key: "a", shiftKey: false })).toBe(false);
  });
});
