// Runs resolved jobs side by side and streams the combined report; the exit code covers the whole fleet, with the
// same meaning as for one `validate` run (0 ok, 1 findings, 3 inconclusive).
import type { CliIo } from "../../common/io";
import { useColor } from "../../common/terminal";
import { exitCodeFor, summarize, type CheckResult } from "../types";
import { runJob, type FleetJob, type PendingJob } from "./jobs";
import { fleetWriter, FleetTotals, verdictOf, type ConnectionResult, type FleetFormat } from "./output";
import { runOrdered } from "./pool";
import { fleetMetricsRow, MetricsCollector, openMetricsWriter, writeMetricsFile } from "../metrics";
import * as path from "node:path";
import { createWriteStream, type WriteStream } from "node:fs";
import { forgetSecretScope, inSecretScope, newSecretScope, redact, type SecretScope } from "../../common/redact";
import { checkedConnections } from "./resume";
import { DEFAULT_RATE_LIMITS, RateLimiter, withRequestScope, type EndpointClass } from "../rateLimit";
import { Progress } from "./progress";

export interface FleetRunOptions {
  readonly concurrency: number;
  readonly format: FleetFormat;
  /** Non-TTY progress period; 0 disables the periodic line. */
  readonly progressEveryMs?: number;
  /** --warn-before for the stored tokens' expiry forecasts. */
  readonly warnBeforeMs?: number;
  /** --metrics-file: the run's metrics, written atomically at the end (validator/metrics.ts). */
  readonly metricsFile?: string;
  /** --output FILE: the report goes there instead of stdout; with `resume`, appended after the checked ones. */
  readonly output?: string;
  readonly resume?: boolean;
  /** --rate-limit: requests per second per project and endpoint (validator/rateLimit.ts). */
  readonly rateLimits?: Readonly<Record<EndpointClass, number>>;
}

/** The project a connection's requests count against: its number or ID, else the number its client ID starts with. */
export function projectOf(job: FleetJob): string {
  const fromClient = /^(\d+)-/.exec(job.input.clientId ?? job.token?.clientId ?? "")?.[1];
  return job.input.projectNumber ?? job.input.project ?? fromClient ?? "unknown project";
}

/** A connection whose files or variables could no longer be read when its turn came (they were at the start). */
function inputsChanged(err: unknown): CheckResult {
  return {
    id: "fleet.inputs",
    status: "inconclusive",
    title: "The connection's inputs could be read when its turn came",
    detail: redact(
      `they could at the start of the run, but no longer: ${err instanceof Error ? err.message : String(err)}`,
    ),
  };
}

export async function runFleet(allJobs: readonly PendingJob[], opts: FleetRunOptions, io: CliIo): Promise<number> {
  const started = performance.now();
  const done = opts.output && opts.resume ? await checkedConnections(opts.output) : new Set<string>();
  const jobs = done.size > 0 ? allJobs.filter((j) => !done.has(redact(j.name))) : allJobs;
  if (done.size > 0)
    io.stderr.write(`… resuming: ${allJobs.length - jobs.length} connections already checked in ${opts.output}\n`);
  const out = opts.output ? createWriteStream(opts.output, { flags: opts.resume ? "a" : "w" }) : io.stdout;
  const metrics = opts.format === "openmetrics" || opts.metricsFile ? new MetricsCollector() : undefined;
  const writer =
    opts.format === "openmetrics" ? openMetricsWriter(metrics!) : fleetWriter(opts.format, useColor(io.stdout, io.env));
  const totals = new FleetTotals();
  const progress = new Progress(io.stderr, jobs.length, opts.progressEveryMs);
  const limiter = new RateLimiter(opts.rateLimits ?? DEFAULT_RATE_LIMITS);
  out.write(writer.begin());
  progress.start();
  try {
    await runOrdered(
      jobs,
      opts.concurrency,
      async (job): Promise<{ result: ConnectionResult; secrets: SecretScope }> => {
        progress.began();
        const t = performance.now();
        // The tokens this connection is issued are masked until its report is written, then forgotten.
        const secrets = newSecretScope();
        // Only the summarized checks outlive the job: the HTTP bodies behind them are already gone.
        const report = summarize(
          await inSecretScope(secrets, async () => {
            let resolved: FleetJob;
            try {
              resolved = await job.resolve();
            } catch (err) {
              return [inputsChanged(err)];
            }
            return withRequestScope(limiter, projectOf(resolved), () =>
              runJob(resolved, { warnBeforeMs: opts.warnBeforeMs }),
            );
          }),
        );
        progress.finished(verdictOf(report));
        return {
          result: { name: job.name, report, seconds: (performance.now() - t) / 1000, checkedAt: Date.now() },
          secrets,
        };
      },
      ({ result, secrets }) => {
        totals.add(result.report);
        metrics?.add(fleetMetricsRow(result));
        out.write(writer.connection(result));
        forgetSecretScope(secrets);
      },
    );
  } finally {
    progress.stop();
  }
  out.write(writer.end(totals, (performance.now() - started) / 1000));
  if (out !== io.stdout)
    await new Promise<void>((resolve, reject) =>
      (out as WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
  if (opts.metricsFile && metrics) await writeMetricsFile(path.resolve(io.cwd, opts.metricsFile), metrics.render());
  return exitCodeFor(totals.asReport());
}
