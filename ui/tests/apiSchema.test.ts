/**
 * The generated API types are in step with the committed OpenAPI snapshot: running
 * openapi-typescript on `openapi.json` gives exactly `src/api/schema.gen.ts`. (The Python suite
 * checks the other half: the API's own document equals `openapi.json`.) Both files are
 * rewritten by `npm run gen:api`.
 */

import { readFileSync } from "node:fs";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { describe, expect, it } from "vitest";

const SNAPSHOT = new URL("../openapi.json", import.meta.url);
const GENERATED = new URL("../src/api/schema.gen.ts", import.meta.url);

/** What the `openapi-typescript` command of `gen:api` writes, with the same options. */
async function generate(snapshot: URL): Promise<string> {
  const ast = await openapiTS(snapshot, { defaultNonNullable: false, silent: true });
  return COMMENT_HEADER + astToString(ast);
}

/** The first line where two texts part, for a message short enough to read (the files are large). */
function firstDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const want = expected.split("\n");
  const got = actual.split("\n");
  const line = want.findIndex((text, index) => text !== got[index]);
  const at = line === -1 ? want.length : line;
  return (
    `src/api/schema.gen.ts is stale or was edited by hand (run \`npm run gen:api\` in ui/). ` +
    `Line ${at + 1}: expected ${JSON.stringify(want[at] ?? "<end of file>")}, ` +
    `found ${JSON.stringify(got[at] ?? "<end of file>")}`
  );
}

describe("generated API types", () => {
  it("are what openapi-typescript makes of the committed openapi.json", async () => {
    const fresh = await generate(SNAPSHOT);
    const committed = readFileSync(GENERATED, "utf8");
    expect(firstDifference(fresh, committed)).toBeNull();
  }, 60_000);
});
