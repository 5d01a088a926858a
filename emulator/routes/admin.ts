// The admin API over HTTP: POST /__emulator/<operation> with a JSON array of the arguments (GET for those without).
// The operations and their argument readers are ../admin.ts; this only translates. An input error answers 400 with
// EVERY problem found, each naming its field; nothing was changed.
import { InputError, isInputError } from "../../common/errors";
import { ADMIN_OPERATIONS, isAdminOperation, runAdminOperation } from "../admin";
import type { EmulatorStore } from "../store";
import { json, type Reply, type RequestContext } from "./handler";

export const ADMIN_PREFIX = "/__emulator/";

export function adminRequest(store: EmulatorStore, ctx: RequestContext): Reply {
  const op = ctx.path[0] ?? "";
  if (!isAdminOperation(op))
    return json(404, {
      error: { problem: `unknown admin operation '${op}'`, fix: `use one of: ${ADMIN_OPERATIONS.join(", ")}` },
    });
  let args: unknown[] = [];
  if (ctx.body.trim()) {
    try {
      const parsed: unknown = JSON.parse(ctx.body);
      args = Array.isArray(parsed) ? parsed : [parsed];
    } catch (e) {
      return json(400, {
        error: {
          field: "body",
          problem: `not JSON: ${(e as Error).message}`,
          fix: "send a JSON array of the operation's arguments",
        },
      });
    }
  }
  try {
    return json(200, { result: runAdminOperation(store, op, args) ?? null });
  } catch (e) {
    if (!isInputError(e)) return json(400, { error: { message: e instanceof Error ? e.message : String(e) } });
    const errors = (e instanceof InputError ? [e] : e.errors).map((x) => ({
      field: x.field,
      problem: x.problem,
      ...(x.fix ? { fix: x.fix } : {}),
    }));
    // The first problem also at the top level, as before the list existed.
    return json(400, { error: { message: e.message, ...errors[0], errors } });
  }
}

/** Answer to a method other than GET or POST. */
export const adminMethodNotAllowed = () => json(405, { error: { problem: "use GET or POST" } });

/** Answer to a body over the server's limit. */
export const adminBodyTooLarge = () => json(413, { error: { problem: "body too large" } });
