// The fleet benchmark's workload is a valid fleet for the emulator: the generated fleet file parses, each client JSON
// is a Web client, and the scenario loads. The measurement itself is `npm run bench`'s job.
import { describe, expect, test } from "vitest";
import { clientFile, clientId, fleetFile, fleetScenario } from "../../bench/fleet";
import { parseScenario } from "../../emulator/index";
import { parseFleetFile } from "../../validator/fleet/fleetFile";
import { parseClientFile } from "../../validator/clientFile";

describe("the fleet bench workload", () => {
  test("fleet file, client files and scenario agree", () => {
    const app = "http://127.0.0.1:9/cb";
    const entries = parseFleetFile(fleetFile(3, "http://127.0.0.1:8", app), "fleet.json");
    expect(entries.map((e) => [e.name, e.flags.clientSecretFile, e.flags.googleOrigin])).toEqual([
      ["conn-0", "client-0.json", "http://127.0.0.1:8"],
      ["conn-1", "client-1.json", "http://127.0.0.1:8"],
      ["conn-2", "client-2.json", "http://127.0.0.1:8"],
    ]);
    const file = parseClientFile(clientFile(2, app), "client-2.json");
    expect(file).toMatchObject({ kind: "web", clientId: clientId(2), redirectUris: [app], problems: [] });
    const scenario = parseScenario(fleetScenario(3, app) as never);
    expect(scenario.clients?.map((c) => c.id)).toEqual([clientId(0), clientId(1), clientId(2)]);
  });
});
