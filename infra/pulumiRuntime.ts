// The parts of @pulumi/pulumi's runtime the kit uses that Pulumi's type declarations leave out: `isConfigSecret` and
// `waitForRPCs` exist in its JavaScript (runtime/config.js, runtime/settings.js) but not in its .d.ts, and the mock
// monitor `setMocks` installs is typed as the gRPC client it stands in for. The casts live here alone, and
// test/infra/pulumiRuntime.test.ts fails when a Pulumi release moves or drops one of them.
import * as pulumi from "@pulumi/pulumi";

/** The runtime's untyped exports, as far as the kit reads them. */
interface UntypedRuntime {
  readonly isConfigSecret?: (key: string) => boolean;
  readonly waitForRPCs?: () => Promise<void>;
}

const untyped = (): UntypedRuntime => pulumi.runtime as unknown as UntypedRuntime;

/** Pulumi's test for a config key stored encrypted (`pulumi config set --secret`); undefined in a runtime without it. */
export function configSecretTest(): ((key: string) => boolean) | undefined {
  const test = untyped().isConfigSecret;
  return typeof test === "function" ? test : undefined;
}

/** Resolves once every resource registration in flight has reached the engine (or the mocks). */
export async function waitForRegistrations(): Promise<void> {
  const wait = untyped().waitForRPCs;
  if (typeof wait !== "function") throw new Error("@pulumi/pulumi no longer exports runtime.waitForRPCs");
  await wait();
}

/** The mock monitor's registration calls and its URN rule: what sandbox/uniqueUrns.ts watches. */
export interface MockMonitor {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegistrationRequest, callback: (...a: unknown[]) => void): unknown;
  readResource(req: RegistrationRequest, callback: (...a: unknown[]) => void): unknown;
}

export interface RegistrationRequest {
  getParent(): string;
  getType(): string;
  getName(): string;
}

/** The monitor `pulumi.runtime.setMocks` installed, or undefined when the runtime has no mock monitor. */
export function mockMonitor(): MockMonitor | undefined {
  const monitor: unknown = pulumi.runtime.getMonitor();
  if (typeof monitor !== "object" || monitor === null) return undefined;
  const m = monitor as Partial<MockMonitor>;
  return typeof m.newUrn === "function" &&
    typeof m.registerResource === "function" &&
    typeof m.readResource === "function"
    ? (m as MockMonitor)
    : undefined;
}
