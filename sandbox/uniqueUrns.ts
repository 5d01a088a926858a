// Pulumi's engine refuses a program that registers two resources with one URN (type chain + name), and `pulumi up`
// fails. Its mocks (pulumi.runtime.setMocks) silently keep the last one, so a name collision would pass every test
// (issue 14 §3). This ledger, installed right after setMocks by the sandbox engine and by the tests' harness, makes a
// duplicate fail exactly as the engine does.
import { mockMonitor } from "../infra/pulumiRuntime";

/** Pulumi's own words (pkg/diag/errors.go, GetDuplicateResourceURNError, code 2001). */
export function duplicateUrnMessage(urn: string): string {
  return `Duplicate resource URN '${urn}'; try giving it a unique name`;
}

export interface UrnLedger {
  /** Throws Pulumi's error for the first URN registered twice since the ledger was installed. */
  check(): void;
}

/**
 * Watches every registration on the mock monitor setMocks just installed. A duplicate is recorded, not rejected
 * on the spot: a rejected registration leaves the program's outputs pending forever, so check() reports it once
 * every registration is in (after waitForRPCs).
 */
export function refuseDuplicateUrns(): UrnLedger {
  const monitor = mockMonitor();
  if (!monitor)
    throw new Error("refuseDuplicateUrns() needs the mock monitor: call it right after pulumi.runtime.setMocks()");
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const method of ["registerResource", "readResource"] as const) {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req, callback) => {
      const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
      if (seen.has(urn)) duplicates.push(urn);
      seen.add(urn);
      return original(req, callback);
    };
  }
  return {
    check() {
      if (duplicates.length > 0) throw new Error(duplicateUrnMessage(duplicates[0]));
    },
  };
}
