// The admin operations over the store, in-process and over HTTP: the console's refusals, and every argument read
// (every problem reported, each naming its field) before anything changes.
import { describe, expect, it } from "vitest";
import { InputError, InputErrors } from "../../common/errors";
import { parseScenario } from "../../emulator/inputReaders";
import { EmulatorStore } from "../../emulator/store";
import { DESKTOP as CLIENT, frozenStore, MAIL, setup } from "./helpers";

const state = frozenStore;

describe("admin operations", () => {
  it("refuse what the console refuses, naming the field", () => {
    const s = state();
    expect(() =>
      s.addClient({
        id: "2-b.apps.googleusercontent.com",
        projectId: "demo-project",
        redirectUris: ["https://app.example.com/cb#x"],
      }),
    ).toThrow(/client.redirectUris\[0\]: .*fragment/);
    expect(() => s.addClient({ id: "2-b.apps.googleusercontent.com", projectId: "nope-project" })).toThrow(
      /client.projectId: no project 'nope-project'/,
    );
    expect(() =>
      s.addClient({ id: "2-b.apps.googleusercontent.com", projectId: "demo-project", secrets: ["a", "b", "c"] }),
    ).toThrow(/client.secrets: has 3 entries; at most 2/);
    expect(() => s.addProject({ id: "solo-project", userType: "internal" })).toThrow(
      /project.userType: internal needs the project to belong to an organisation/,
    );
    expect(() => s.addAccount({ email: "ana@example.com" })).toThrow(/already exists/);
    expect(() => s.mintGrant({ clientId: CLIENT, account: "zed@example.com", scopes: [MAIL] })).toThrow(InputError);
    expect(() => s.advanceClock(-1)).toThrow(/ms: must be a non-negative/);
  });

  it("a generated secret is GOCSPX- and is returned once; the snapshot shows only its last four", () => {
    const s = state();
    const c = s.addClient({ id: "2-b.apps.googleusercontent.com", projectId: "demo-project" });
    expect(c.secrets[0]).toMatch(/^GOCSPX-[A-Za-z0-9_-]{28}$/);
    const snap = s.state().clients.find((x) => x.id === c.id)!;
    expect(snap.secretHints).toEqual([`****${c.secrets[0]!.slice(-4)}`]);
    expect(JSON.stringify(s.state())).not.toContain(c.secrets[0]);
  });

  it("the frozen clock moves only when advanced", () => {
    const s = state();
    expect(s.now()).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(s.advanceClock(5000)).toBe(Date.parse("2026-01-01T00:00:05Z"));
  });

  it("a scenario supportEmail must be an email address", () => {
    expect(
      () => new EmulatorStore(parseScenario({ projects: [{ id: "demo-project", supportEmail: "nope" }] })),
    ).toThrow(/projects\[0\]\.supportEmail/);
  });

  it("reads every argument before it changes anything, and reports every problem with its field", () => {
    const s = state();
    const before = JSON.stringify(s.state());
    let thrown: unknown;
    try {
      s.addClient({
        id: "not-a-client-id",
        projectId: "demo-project",
        type: "tv" as never,
        secrets: ["a", "b", "c"],
        redirectUris: [""],
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InputErrors);
    expect((thrown as InputErrors).errors.map((e) => e.field)).toEqual([
      "client.id",
      "client.type",
      "client.secrets",
      "client.redirectUris[0]",
    ]);
    expect(JSON.stringify(s.state())).toBe(before);
    // Every bad redirect URI of one client, not just the first.
    expect(() =>
      s.addClient({
        id: "2-b.apps.googleusercontent.com",
        projectId: "demo-project",
        redirectUris: ["https://a.example.com/#x", "http://b.example.com/cb"],
      }),
    ).toThrow(/client\.redirectUris\[0\].*\n.*client\.redirectUris\[1\]/);
    expect(s.state().clients.map((c) => c.id)).toEqual([CLIENT]);
  });

  it("arguments of the wrong type are refused, not run", () => {
    const s = state();
    expect(() => s.setServiceState({} as never, "gmail.googleapis.com", "ON" as never)).toThrow(
      /project: must be text[\s\S]*state: 'ON' is not allowed/,
    );
    expect(() => s.mintGrant(null as never)).toThrow(InputError);
    expect(() => s.mintGrant({ clientId: CLIENT, account: "ana@example.com", scopes: [] })).toThrow(
      /scopes: must be a non-empty list/,
    );
    expect(() => s.updateProject("demo-project", { testUsers: ["x", "ana@example.com", "y"] })).toThrow(
      /patch\.testUsers\[0\][\s\S]*patch\.testUsers\[2\]/,
    );
  });
});

describe("admin HTTP API: every problem of a request", () => {
  it("answers 400 with all the problems, each naming its field, and the first at the top level", async () => {
    const { emu } = await setup();
    const res = await fetch(`${emu.origin}/__emulator/addProject`, {
      method: "POST",
      body: JSON.stringify([{ id: "Bad_Id", userType: "public", testUsers: ["nope"], colour: "red" }]),
    });
    const body = (await res.json()) as { error: { field: string; errors: { field: string; problem: string }[] } };
    expect(res.status).toBe(400);
    expect(body.error.errors.map((e) => e.field)).toEqual([
      "project.colour",
      "project.id",
      "project.userType",
      "project.testUsers[0]",
    ]);
    expect(body.error.field).toBe("project.colour");
    expect(emu.admin.state().projects.map((p) => p.id)).not.toContain("Bad_Id");
  });
});
