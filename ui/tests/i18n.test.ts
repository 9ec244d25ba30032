/** Every text exists in zh-CN and en, and every literal key the code asks for exists in both. */

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES, loadResources, toSupportedLanguage } from "../src/lib/i18n";

type Tree = { [key: string]: string | Tree };

/** Flatten `{a: {b: "x"}}` into ["a.b"]; plural forms (`_one`, `_other`) count as their base key. */
function keys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

const baseKey = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const resources = loadResources() as Record<string, Record<string, Tree>>;

describe("translations", () => {
  it("has both languages with the same namespaces", () => {
    for (const language of LANGUAGES) expect(resources[language], language).toBeDefined();
    expect(Object.keys(resources.en ?? {}).sort()).toEqual(Object.keys(resources["zh-CN"] ?? {}).sort());
  });

  it("has every key in zh-CN and in en", () => {
    const missing: string[] = [];
    for (const namespace of Object.keys(resources["zh-CN"] ?? {})) {
      const zh = new Set(keys(resources["zh-CN"]?.[namespace] ?? {}));
      const en = new Set(keys(resources.en?.[namespace] ?? {}));
      for (const key of zh) if (!en.has(key)) missing.push(`en is missing ${namespace}:${key}`);
      for (const key of en) if (!zh.has(key)) missing.push(`zh-CN is missing ${namespace}:${key}`);
    }
    expect(missing).toEqual([]);
  });

  it("has no empty text", () => {
    const empty: string[] = [];
    for (const language of LANGUAGES) {
      for (const [namespace, tree] of Object.entries(resources[language] ?? {})) {
        const walk = (node: Tree, path: string) => {
          for (const [key, value] of Object.entries(node)) {
            if (typeof value === "string") {
              if (!value.trim()) empty.push(`${language} ${namespace}:${path}${key}`);
            } else walk(value, `${path}${key}.`);
          }
        };
        walk(tree, "");
      }
    }
    expect(empty).toEqual([]);
  });

  it("knows every literal key the code passes to t()", () => {
    const root = join(__dirname, "..", "src");
    const unknown: string[] = [];
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, "utf8");
      const declared = /useTranslation\(\s*"([^"]+)"/.exec(text)?.[1] ?? "common";
      for (const match of text.matchAll(/\bt\(\s*"([^"$]+)"/g)) {
        const raw = match[1] ?? "";
        const [namespace, key] = raw.includes(":") ? (raw.split(":", 2) as [string, string]) : [declared, raw];
        for (const language of LANGUAGES) {
          const has = (ns: string) =>
            keys(resources[language]?.[ns] ?? {})
              .map(baseKey)
              .includes(key);
          if (!has(namespace) && !has("common"))
            unknown.push(`${relative(root, file)}: ${language} ${namespace}:${key}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it("reads any Chinese browser locale as zh-CN and defaults to zh-CN", () => {
    expect(toSupportedLanguage("zh")).toBe("zh-CN");
    expect(toSupportedLanguage("zh-TW")).toBe("zh-CN");
    expect(toSupportedLanguage("en-GB")).toBe("en");
    expect(toSupportedLanguage("fr")).toBe("zh-CN");
    expect(toSupportedLanguage(undefined)).toBe("zh-CN");
  });
});
