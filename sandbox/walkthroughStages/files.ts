// The files a person has on disk after the console steps: the stack outputs and the client JSON (mode 0600).
import { join } from "node:path";
import { CLIENT_FILE, SPEC_FILE, stackOutputsJson, writePrivate } from "../accountsAndFiles";
import { downloadClientJson, type CreatedClient } from "../console";
import type { StackOutputs } from "../mockEngine";
import type { World } from "./world";

export async function downloadFiles(w: World, outputs: StackOutputs, client: CreatedClient): Promise<void> {
  await writePrivate(join(w.dir, SPEC_FILE), stackOutputsJson(outputs));
  await writePrivate(join(w.dir, CLIENT_FILE), downloadClientJson(w.emu.admin, w.stack.parsed.spec, client));
}
