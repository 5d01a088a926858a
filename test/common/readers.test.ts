import { describe, expect, it } from "vitest";
import {
  nearestKey,
  Problems,
  readBoolean,
  readEnum,
  readObject,
  readString,
  readStringList,
} from "../../common/readers";
import { withDefault } from "../../connection/read";

const lines = (p: Problems) => p.errors.map((e) => e.message);

describe("field readers", () => {
  it("decode JSON text for objects and lists, and name bad JSON", () => {
    const p = new Problems();
    expect(readObject('{"a":1}', "k", p, ["a"])).toEqual({ a: 1 });
    expect(readStringList('["x","y"]', "l", p)).toEqual(["x", "y"]);
    expect(readObject("{a", "k", p, ["a"])).toBeUndefined();
    expect(lines(p)).toEqual([expect.stringMatching(/^k: is not valid JSON/)]);
  });

  it("report wrong shapes and unknown keys with the nearest known key", () => {
    const p = new Problems();
    readObject([1], "o", p, ["a"]);
    readObject({ nmae: 1 }, "c", p, ["name", "type"]);
    readStringList("text", "l", p);
    readStringList(["ok", true, ""], "l2", p);
    expect(lines(p)).toEqual([
      "o: must be an object, got a list; give it the keys a",
      "c.nmae: unknown key; did you mean 'name'?",
      'l: must be a list, got string "text"; write it as a YAML list (- item) or a JSON array',
      "l2[1]: must be text, got boolean true; quote the value",
      "l2[2]: is required; remove the empty entry",
    ]);
    expect(nearestKey("zzzzzz", ["name"])).toBeUndefined();
  });

  it("read booleans, enums, numbers-as-ids and defaults", () => {
    const p = new Problems();
    expect(readBoolean("false", "b", p)).toBe(false);
    expect(readBoolean("yes", "b", p)).toBeUndefined();
    expect(readEnum("Web", "t", p, ["web", "desktop"])).toBeUndefined();
    expect(readString(123456789012, "id", p)).toBe("123456789012");
    expect(readString(" x", "s", p)).toBe(" x");
    expect(withDefault(undefined, () => "read", "d", p, "dflt")).toBe("dflt");
    expect(withDefault(undefined, () => "read", "spec.d", p, undefined)).toBeUndefined();
    expect(lines(p)).toEqual([
      'b: must be true or false, got string "yes"; write true or false',
      "t: 'Web' is not allowed; write 'web' (lower case)",
      "s: has leading or trailing spaces; remove the spaces",
      "spec.d: is required in a connection spec; write the spec with `pulumi stack output --json`, which always includes it",
    ]);
  });
});
