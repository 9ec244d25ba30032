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

  it("uses only the system font stack (no @font-face; @import only of installed packages)", () => {
    const css = files(join(ROOT, "src")).filter((p) => p.endsWith(".css"));
    for (const path of css) {
      const text = readFileSync(path, "utf8");
      expect(text).not.toMatch(/@font-face/);
      // The bundler inlines a package's stylesheet (highlight.js themes) at build time;
      // a url() or a network address would be fetched by the browser.
      for (const [line] of text.matchAll(/@import[^;]*;/g)) expect(line).toMatch(/^@import "[a-z@][^":]*\.css"/);
    }
  });
});
