// The sandbox's public API: the walkthrough (`gmail-oauth sandbox`) and the served state (`--serve`).
// See docs/architecture.md for how it uses the other parts.
export { runSandbox, BLOCKED_FLOW_TIMEOUT_S, STAGE_COUNT, type SandboxOptions } from "./walkthrough";
export { runServe, type ServeInfo, type ServeOptions } from "./serve";
export { SandboxEngine, type AppliedStep, type StackOutputs, type UpResult } from "./mockEngine";
export { loadStack, parseStackFile, bundledStackPath, type SandboxStack } from "./stackConfig";
export type { Stage, StageCheck, SandboxDocument } from "./stages";
