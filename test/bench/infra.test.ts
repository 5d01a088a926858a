// The infra benchmark's spec is a valid connection spec (checked at a size stack config allows).
import { describe, expect, test } from "vitest";
import { benchSpec } from "../../bench/infra";
import { parseConnectionSpec } from "../../connection/parse";

describe("the infra bench spec", () => {
  test("parses, with a stored-secret client per client", () => {
    const spec = parseConnectionSpec(benchSpec(3), "bench");
    expect(spec.clients.map((c) => c.clientId)).toEqual([
      "123456789012-c0.apps.googleusercontent.com",
      "123456789012-c1.apps.googleusercontent.com",
      "123456789012-c2.apps.googleusercontent.com",
    ]);
    expect(benchSpec(50).clients).toHaveLength(50);
  });
});
