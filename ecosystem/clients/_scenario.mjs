// The JavaScript side of the scenario protocol (ecosystem/harness/outcome.py); the twin of _scenario.py.
//
//   scenario("chat", async () => { ...; expect(text, `no text: ${text}`); });
//   await main();
//
// A function that resolves passes; `expect` failing, or anything thrown, fails with a one-line reason;
// NotApplicable / NeedsRealModel mark the other two verdicts. main() prints the ECOSYSTEM-RESULT line.

import path from "node:path";

export const MODEL = process.env.ECOSYSTEM_MODEL ?? "claude-sonnet-4-6";
export const WORKDIR = process.env.ECOSYSTEM_WORKDIR ?? process.cwd();

const PREFIX = "ECOSYSTEM-RESULT ";
const scenarios = new Map();

export class Failed extends Error {}
export class NotApplicable extends Error {}
export class NeedsRealModel extends Error {}

export function scenario(name, run) {
  scenarios.set(name, run);
}

export function expect(condition, reason) {
  if (!condition) throw new Failed(reason);
}

const oneLine = (text) => String(text).split(/\s+/).filter(Boolean).join(" ");

function describe(error) {
  const name = error?.constructor?.name ?? typeof error;
  const message = oneLine(error?.message ?? error);
  return message ? `${name}: ${message}` : name;
}

function report(status, reason = "") {
  process.stdout.write(PREFIX + JSON.stringify({ status, reason: oneLine(reason) }) + "\n");
}

export async function main() {
  const name = process.argv[2] ?? "";
  const run = scenarios.get(name);
  if (!run) {
    report("fail", `no runner for scenario '${name}' in ${path.basename(process.argv[1])}`);
    return;
  }
  try {
    await run();
    report("pass");
  } catch (error) {
    if (error instanceof NotApplicable) report("n/a", error.message);
    else if (error instanceof NeedsRealModel) report("needs a real model", error.message);
    else if (error instanceof Failed) report("fail", error.message);
    else {
      console.error(error?.stack ?? error);
      const cause = error?.cause ? ` (caused by ${describe(error.cause)})` : "";
      report("fail", describe(error) + cause);
    }
  }
}
