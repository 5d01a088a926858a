import * as pulumi from "@pulumi/pulumi";
import { provision } from "../infra/program";

async function run(config: Record<string,string>, secretKeys: string[]) {
  const recorded: string[] = [];
  await pulumi.runtime.setMocks({
    newResource(args) { recorded.push(args.type + " " + args.name + " " + JSON.stringify(args.inputs).slice(0,200)); const state: any = { ...args.inputs }; if (args.type.includes("Project")) state.number = "4242"; return { id: args.name + "_id", state }; },
    call(args) { return {}; },
  }, "gmail-oauth", "sandbox", false);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const out = provision();
  const spec = await new Promise(r => out.connectionSpec.apply(r));
  const rb = await new Promise(r => out.consoleRunbook.apply(r));
  await (pulumi.runtime as any).waitForRPCs();
  console.log(recorded.join("\n"));
  console.log(JSON.stringify(spec).slice(0,300));
  return rb;
}
(async () => {
  const base = {
    "gmail-oauth:project": JSON.stringify({ id: "sandbox-gmail-demo", orgId: "100000000001", billingAccount: "0A1B2C-3D4E5F-607182", deletionProtection: false }),
    "gmail-oauth:branding": JSON.stringify({ appName: "Sandbox Mail", supportEmail: "it@example.com" }),
    "gmail-oauth:audience": JSON.stringify({ testUsers: ["ana@example.com", "mailbox@example.com"] }),
    "gmail-oauth:clients": JSON.stringify([{ name: "flectra", preset: "flectra", instanceUrl: "http://127.0.0.1:7073" }]),
    "gmail-oauth:oauthAdmins": JSON.stringify(["user:ana@example.com"]),
    "gmail-oauth:appServiceAccount": "flectra-mail@sandbox-gmail-demo.iam.gserviceaccount.com",
  };
  const rb = await run(base, []);
  console.log(rb);
  console.log("=== second");
  await run({ ...base, "gmail-oauth:clients": JSON.stringify([{ name: "flectra", preset: "flectra", instanceUrl: "http://127.0.0.1:7073", clientId: "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com" }]), "gmail-oauth:clientSecrets": JSON.stringify({ flectra: "GOCSPX-abcdefghijklmnopqrstuvwxyz12" }) }, ["gmail-oauth:clientSecrets"]);
})().catch(e => { console.error("ERR", e); process.exitCode = 1; });
