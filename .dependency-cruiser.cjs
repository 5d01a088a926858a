// The dependency rule of docs/architecture.md, checked in `npm test` (test/architecture.test.ts):
//   common → google → connection → infra | validator | emulator → policy | sandbox | setup | web → cli → bench | scripts
// and the package's main entry, index.ts, on common, google, connection and infra.
// Each folder may import only from the folders before it in that order (and from itself). No cycles anywhere.
/** Which internal folders each folder may import from. */
const LAYERS = {
  common: [],
  google: ["common"],
  connection: ["common", "google"],
  infra: ["common", "google", "connection"],
  validator: ["common", "google", "connection"],
  // The emulator stands in for Google: it knows Google's rules, never the kit's own connection spec.
  emulator: ["common", "google"],
  policy: ["common", "google", "connection"],
  sandbox: ["common", "google", "connection", "infra", "validator", "emulator"],
  // `gmail-oauth setup`'s step engine: the runbook and the validator's checks, walked with a person.
  setup: ["common", "google", "connection", "validator"],
  cli: ["common", "google", "connection", "infra", "validator", "emulator", "policy", "sandbox", "setup"],
  bench: ["common", "google", "connection", "infra", "validator", "emulator", "policy", "sandbox", "setup", "cli"],
  // The browser page of `explain` (issue 27): the diagnosis code and what it needs, nothing more.
  web: ["common", "google", "validator"],
  // generate-schemas reads the emulator's scenario schema beside the connection's and the fleet file's.
  scripts: ["common", "google", "connection", "validator", "emulator"],
};
const ALL = Object.keys(LAYERS);
/** Node's built-in modules a browser does not have. */
const NODE_CORE = require("node:module").builtinModules.map((m) => m.replace(/[/\\]/g, "\\$&"));
// The package's main entry (index.ts, `gmail-connection-kit`) sits beside infra/: the component and the spec. The other
// entries live in their folders (validator/index.ts, emulator/index.ts, policy/policies.ts) and follow its rule.
const PACKAGE_ENTRY = ["common", "google", "connection", "infra"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "explain-page-browser-safe",
      severity: "error",
      comment:
        "The explain page (web/) runs the diagnosis code in a browser: nothing it reaches may need a Node module (node:crypto, node:async_hooks, fs …). Keep Node-only code out of validator/explain.ts, validator/diagnosis/ and what they import.",
      from: { path: "^web/" },
      to: { path: `^(node:)?(${NODE_CORE.join("|")})$`, reachable: true },
    },
    {
      name: "no-cycles",
      severity: "error",
      comment: "A cycle hides an upward arrow (lazy imports included): break it by handing the dependency in.",
      from: {},
      to: { circular: true },
    },
    ...Object.entries(LAYERS).map(([layer, allowed]) => ({
      name: `layer-${layer}`,
      severity: "error",
      comment: `${layer}/ may import only from ${allowed.length ? allowed.join(", ") : "nothing else in the kit"} (docs/architecture.md).`,
      from: { path: `^${layer}/` },
      to: { path: `^(${ALL.filter((l) => l !== layer && !allowed.includes(l)).join("|")}|index\\.ts$|test/)` },
    })),
    {
      name: "package-entry",
      severity: "error",
      comment: `index.ts (the package's main entry) may import only from ${PACKAGE_ENTRY.join(", ")} (docs/architecture.md).`,
      from: { path: "^index\\.ts$" },
      to: { path: `^(${ALL.filter((l) => !PACKAGE_ENTRY.includes(l)).join("|")}|test)/` },
    },
    {
      name: "gcp-namespaces-only",
      severity: "error",
      comment:
        "Shipped code imports @pulumi/gcp's namespaces (@pulumi/gcp/projects), never its index: the index loads all of its 160 modules, which under `pulumi up` (Pulumi's inspector sees every script) was most of the program's load time (bench/package.ts). Pulumi's own templates import namespaces (pulumi/pulumi#7653).",
      from: { pathNot: "^(test|bench)/" },
      to: { path: "node_modules/@pulumi/gcp/index\\.js$" },
    },
    {
      name: "no-test-imports",
      severity: "error",
      comment: "Shipped code never imports the tests.",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|\\.test-results|bench/results)/" },
    // Type-only imports count: a type that points up is still an upward arrow.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".cjs", ".mts", ".json"] },
  },
};
