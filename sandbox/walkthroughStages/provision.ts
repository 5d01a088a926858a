// Stage 1, `pulumi up`: the real infra/ program under the in-process engine, each resource applied to the emulator.
import { paint } from "../../common/terminal";
import { describeSteps } from "../accountsAndFiles";
import type { StackOutputs } from "../mockEngine";
import { pulumiConfig } from "../stackConfig";
import { expect, stage, type Stage } from "../stages";
import { emulatorProject, type World } from "./world";

export async function provision(w: World): Promise<{ stage: Stage; outputs: StackOutputs }> {
  const { config, secretKeys } = pulumiConfig(w.stack);
  const up = await w.engine.up(config, secretKeys);
  const project = emulatorProject(w);
  const gmail = project?.services["gmail.googleapis.com"];
  return {
    outputs: up.outputs,
    stage: stage(
      "provision",
      "pulumi up: the real infra/ program, applied to the emulator",
      [
        `$ pulumi up   ${paint(w.color).dim(`(in-process engine: Pulumi's mocks interface; each resource is applied to the emulator at ${w.emu.origin})`)}`,
        "",
        ...describeSteps(up.steps),
        "",
        `  Outputs: projectId ${up.outputs.projectId}, projectNumber ${up.outputs.projectNumber}`,
      ],
      [
        expect(
          "the project exists in the emulator with the number Pulumi reports",
          project ? `project ${project.id}, number ${project.number}` : "no such project",
          project?.number === up.outputs.projectNumber,
        ),
        expect(
          "the Gmail API ENABLED in the project",
          `gmail.googleapis.com ${gmail ?? "absent"}`,
          gmail === "ENABLED",
        ),
      ],
    ),
  };
}
