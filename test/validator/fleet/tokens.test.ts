import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { accountFromName, listTokenSources } from "../../../validator/fleet/tokens";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fleet-tokens-"));
  await mkdir(join(dir, "tokens", "sub"), { recursive: true });
  await writeFile(join(dir, "tokens", "b@example.com.json"), "{}");
  await writeFile(join(dir, "tokens", "a-service"), "x");
  await writeFile(join(dir, "tokens", ".swap"), "x");
  await writeFile(join(dir, "list.txt"), "# cron tokens\ntokens/a-service\n\n  /abs/ana@example.com  \n");
  await writeFile(join(dir, "empty.txt"), "# nothing\n");
});

describe("token sources", () => {
  test("a mailbox-named file gives the account", () => {
    expect(accountFromName("/x/Ana@Example.com.token")).toBe("ana@example.com");
    expect(accountFromName("/x/ana@example.com")).toBe("ana@example.com");
    expect(accountFromName("/x/prod-token")).toBeUndefined();
  });

  test("a directory: regular, non-hidden files, sorted", async () => {
    expect(await listTokenSources("tokens", dir)).toEqual([
      { name: join("tokens", "a-service"), file: join(dir, "tokens", "a-service") },
      {
        name: join("tokens", "b@example.com.json"),
        file: join(dir, "tokens", "b@example.com.json"),
        account: "b@example.com",
      },
    ]);
  });

  test("a list file: one path a line, comments and blanks skipped, relative to the list", async () => {
    expect(await listTokenSources("list.txt", dir)).toEqual([
      { name: "tokens/a-service", file: join(dir, "tokens", "a-service") },
      { name: "/abs/ana@example.com", file: "/abs/ana@example.com", account: "ana@example.com" },
    ]);
  });

  test("missing, empty, or a token instead of a list: an InputError on --tokens", async () => {
    await expect(listTokenSources("nope", dir)).rejects.toThrow("--tokens: nope does not exist");
    await expect(listTokenSources("empty.txt", dir)).rejects.toThrow("--tokens: empty.txt lists no token file");
    await writeFile(join(dir, "token.json"), '{"type":"authorized_user"}');
    await expect(listTokenSources("token.json", dir)).rejects.toThrow(
      "--tokens: token.json holds a token, not a list of token files",
    );
  });
});
