/** The UI must work offline: no CDN scripts, stylesheets or web fonts anywhere in its sources. */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe("offline build", () => {
  it("references no external URL from index.html, code or styles", () => {
    const sources = [join(ROOT, "index.html"), ...files(join(ROOT, "src"))];
    const offenders = sources.filter((path) =>
      /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i.test(readFileSync(path, "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("uses only the system font stack (no @font-face, no @import)", () => {
    const css = files(join(ROOT, "src")).filter((p) => p.endsWith(".css"));
    for (const path of css) expect(readFileSync(path, "utf8")).not.toMatch(/@font-face|@import/);
  });
});
