// The policy pack's entry: `pulumi preview --policy-pack policy` runs this file. Constructing the PolicyPack starts
// the analyzer gRPC server the Pulumi engine talks to, so nothing else may import this module; the policies live in
// ./policies.ts. policy/package.json names the build of this file (dist/policy/index.js), so the pack also runs from the
// installed package. Extensionless imports on purpose: a pack copied as sources loads through ts-node, which does not
// map .js to .ts.
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies, enforcementLevel: "mandatory" });
