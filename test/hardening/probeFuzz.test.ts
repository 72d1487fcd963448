// The probe's output is untrusted input. Property tests, seeded: decodeProbeLine never
// throws, accepts every well-typed message unchanged and rejects what does not fit
// (wrong types, missing fields, truncated, interleaved, unknown or oversized lines);
// the scan driver, fed random mixes of valid and broken messages and process exits,
// never throws and still returns exactly one result per module.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeProbeLine, MAX_MESSAGE_BYTES, ProbeMessage } from "../../shared/src/probe/probeMessages";
import type { ProbeHandlers } from "../../shared/src/probe/probeProcess";
import { runProbeScan, type OpenChannel } from "../../shared/src/probe/runProbeScan";
import { seededRandom } from "../helpers/seededRandom";
import { saveFigures } from "./hostileRun";
import { MESSAGE_TYPES, SAMPLES } from "./probeSamples";

const SEED = Number(process.env.FLASH_FUZZ_SEED ?? 6_2026);
const runs = { decoder: 0, driver: 0 };
const options = (numRuns: number) => ({ seed: SEED, numRuns });

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function getPath(obj: Json, path: string[]): { parent: Record<string, Json> | Json[]; key: string } {
  let at = obj as Record<string, Json>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, Json>;
  return { parent: at, key: path[path.length - 1] };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function randomString(random: () => number): string {
  const alphabet = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "/", "é", "€", "𝄞", "\u0000", "\u2028", "{", "}"];
  const length = Math.floor(random() * 12);
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
}

/** The same message with every leaf re-valued at random, each keeping its JSON type (t and enums kept). */
function revalue(v: Json, random: () => number, path: string, fixed: Set<string>): Json {
  if (fixed.has(path)) return v;
  if (typeof v === "string") return randomString(random);
  if (typeof v === "boolean") return random() < 0.5;
  if (typeof v === "number") return Number.isInteger(v) ? Math.floor((random() - 0.5) * 2e9) : (random() - 0.5) * 1e6;
  if (Array.isArray(v)) return v.map((x, i) => revalue(x, random, `${path}.${i}`, fixed));
  if (v && typeof v === "object") {
    const prefix = path ? `${path}.` : "";
    // Free-form records keep their values' types but may hold any keys.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revalue(x, random, prefix + k, fixed)]));
  }
  return v;
}

/** A value of a different JSON type than `v` (null included only where the field is not nullable, which strict paths are not). */
function wrongTypeFor(v: Json, pick: number): Json {
  const byType: Record<string, Json[]> = {
    string: [7, true, null, [], {}],
    number: ["7", false, null, [], {}],
    boolean: ["true", 1, null, []],
    array: ["a", 3, null, {}],
    object: ["a", 3, null, []],
  };
  const kind = Array.isArray(v) ? "array" : v === null ? "object" : typeof v;
  const options = byType[kind] ?? [null];
  return options[pick % options.length];
}

describe("decodeProbeLine", () => {
  it("never throws on arbitrary text, and accepts only objects of a known type", () => {
    const check = (line: string) => {
      runs.decoder++;
      const decoded = decodeProbeLine(line);
      if (decoded.ok) expect(MESSAGE_TYPES.has((JSON.parse(line) as { t: string }).t)).toBe(true);
      else expect(decoded.error).toMatch(/^(not JSON|unexpected message|message of)/);
    };
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), check), options(3000));
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), check), options(3000));
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.anything({ maxDepth: 3 }), (sample, extra) => {
        // Known type, arbitrary body.
        check(JSON.stringify({ ...(typeof extra === "object" && extra !== null && !Array.isArray(extra) ? extra : { v: extra }), t: sample.message.t }) ?? "null");
      }),
      options(1000),
    );
  });

  it("accepts every well-typed message and returns it unchanged", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.integer(), (sample, seed) => {
        runs.decoder++;
        const message = revalue(sample.message as Json, seededRandom(seed), "", new Set(["t", ...(sample.enums ?? [])]));
        const decoded = decodeProbeLine(JSON.stringify(message));
        expect(decoded).toEqual({ ok: true, message });
      }),
      options(2000),
    );
  });

  it("rejects a wrong type, a missing field or a value outside an enum at a strictly typed field", () => {
    const strict = SAMPLES.flatMap((s) => s.strict.map((path) => ({ s, path })));
    fc.assert(
      fc.property(fc.constantFrom(...strict), fc.nat(), fc.constantFrom("wrong-type", "missing", "other-string"), ({ s, path }, pick, how) => {
        runs.decoder++;
        const message = clone(s.message) as Json;
        const { parent, key } = getPath(message, path.split("."));
        const record = parent as Record<string, Json>;
        if (how === "missing") delete record[key];
        else if (how === "other-string" && s.enums?.includes(path)) record[key] = `not-a-${key}-${pick}`;
        else record[key] = wrongTypeFor(record[key], pick);
        const decoded = decodeProbeLine(JSON.stringify(message));
        expect(decoded.ok, `${s.message.t} ${path} ${how}: ${JSON.stringify(record[key])}`).toBe(false);
      }),
      options(2000),
    );
  });

  it("rejects truncated, interleaved and unknown-type lines", () => {
    const lines = SAMPLES.map((s) => JSON.stringify(s.message));
    fc.assert(
      fc.property(fc.constantFrom(...lines), fc.constantFrom(...lines), fc.nat(), fc.constantFrom("truncated", "interleaved", "unknown-type"), (a, b, cut, how) => {
        runs.decoder++;
        let line: string;
        if (how === "truncated") line = a.slice(0, 1 + (cut % (a.length - 1)));
        else if (how === "interleaved") line = a.slice(0, 1 + (cut % a.length)) + b;
        else line = JSON.stringify({ ...(JSON.parse(a) as object), t: `t${cut}` });
        expect(decodeProbeLine(line).ok, `${how}: ${line.slice(0, 120)}`).toBe(false);
      }),
      options(2000),
    );
  });

  it("rejects an oversized line without parsing it", () => {
    const huge = JSON.stringify({ t: "imports-seen", modules: ["x".repeat(MAX_MESSAGE_BYTES)] });
    const started = performance.now();
    expect(decodeProbeLine(huge)).toEqual({ ok: false, error: `message of ${huge.length} bytes exceeds the limit` });
    expect(performance.now() - started).toBeLessThan(50);
    runs.decoder++;
  });
});

// ---------------------------------------------------------------------------
// The driver, against scripted probes that misbehave at random.
// ---------------------------------------------------------------------------

const MODULES = ["a.py", "pkg/b.py", "c.py", "d.py"];
const hello = SAMPLES[0].message;
const resultFor = (index: number) => ({ t: "result", index, file: MODULES[index], module: MODULES[index].replace(/\.py$/, "").replace("/", "."), durationMs: 1, importedFiles: [], objects: [], clientEndpoints: [], cliCallNodes: [] });

type Step = { message: unknown } | { garbage: string } | { exit: { code: number | null; signal: NodeJS.Signals | null } };

/** What one probe run does, from `start`: a plan drawn from `random`. */
function plan(start: number, random: () => number): Step[] {
  const steps: Step[] = [];
  const roll = () => random();
  if (roll() < 0.03) return [{ exit: { code: 1, signal: null } }]; // dies before hello
  steps.push({ message: hello });
  for (let i = start; i < MODULES.length; i++) {
    const r = roll();
    if (r < 0.05) return [...steps, { exit: { code: null, signal: "SIGSEGV" } }]; // between modules
    steps.push({ message: { t: "module", index: i, file: MODULES[i] } });
    const s = roll();
    if (s < 0.08) return [...steps, { exit: { code: null, signal: "SIGKILL" } }]; // mid-module
    if (s < 0.12) return [...steps, { message: { t: "exiting", how: "os._exit", code: 1, location: null } }, { exit: { code: 1, signal: null } }];
    if (s < 0.2) steps.push({ garbage: randomString(random) + "{" });
    else if (s < 0.25) steps.push({ message: { ...resultFor(i), index: "0" } });
    else if (s < 0.3) steps.push({ message: { t: `unknown-${i}` } });
    else if (s < 0.35) steps.push({ message: resultFor(Math.floor(random() * MODULES.length)) }); // a result for another module
    else if (s < 0.4) steps.push({ message: { ...resultFor(i), index: MODULES.length + 3 } }); // out of range
    else if (s < 0.45) steps.push({ message: { t: "fatal", kind: "weird", message: "the probe gave up" } });
    steps.push({ message: resultFor(i) });
    if (roll() < 0.05) steps.push({ message: resultFor(i) }); // sent twice
  }
  steps.push(roll() < 0.9 ? { message: { t: "done" } } : { exit: { code: 0, signal: null } });
  return steps;
}

function scriptedProbe(random: () => number): OpenChannel {
  return (h: ProbeHandlers) => {
    let over = false;
    const end = (exit: { code: number | null; signal: NodeJS.Signals | null }) => {
      if (over) return;
      over = true;
      queueMicrotask(() => h.onExit(exit));
    };
    return {
      send(request) {
        const r = request as { t: string; startIndex: number };
        if (r.t !== "scan") return;
        queueMicrotask(() => {
          for (const step of plan(r.startIndex, random)) {
            if (over) return;
            if ("exit" in step) return end(step.exit);
            if ("garbage" in step) h.onMessage(decodeProbeLine(step.garbage));
            else h.onMessage(decodeProbeLine(JSON.stringify(step.message)));
          }
        });
      },
      endInput: () => end({ code: 0, signal: null }),
      kill: () => end({ code: null, signal: "SIGKILL" }),
      dumpStacks: () => undefined,
      outputText: () => "",
    };
  };
}

describe("runProbeScan on a misbehaving probe", () => {
  it("gives up with a fatal error, instead of restarting forever, on a probe that always dies before its first module", async () => {
    const starts: number[] = [];
    const open: OpenChannel = (h) => ({
      send(request) {
        starts.push((request as { startIndex: number }).startIndex);
        queueMicrotask(() => {
          h.onMessage({ ok: true, message: hello as never });
          h.onExit({ code: null, signal: "SIGABRT" });
        });
      },
      endInput: () => undefined,
      kill: () => undefined,
      dumpStacks: () => undefined,
      outputText: () => "Fatal Python error: _PyMem_DebugMalloc\n",
    });
    const outcome = await runProbeScan({ python: "python", root: "/m", cwd: "/p", modules: MODULES, projectFiles: MODULES, timeoutSeconds: 5, open });
    expect(starts).toEqual([0, 0]);
    expect(outcome.results).toEqual([]);
    expect(outcome.fatal).toEqual({
      t: "fatal",
      kind: "start",
      message: "the Python process ended 2 times in a row before the import of a.py began (signal SIGABRT):\nFatal Python error: _PyMem_DebugMalloc",
    });
  });

  it("never throws, and returns one result per module (or a fatal error) for random mixes of messages and exits", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        runs.driver++;
        const outcome = await runProbeScan({
          python: "python", root: "/mirror", cwd: "/project", modules: MODULES, projectFiles: MODULES, timeoutSeconds: 5,
          open: scriptedProbe(seededRandom(seed)),
        });
        for (const r of outcome.results) {
          expect(ProbeMessage.safeParse(r).success).toBe(true);
          expect(MODULES[r.index]).toBe(r.file);
        }
        const indices = outcome.results.map((r) => r.index);
        expect(new Set(indices).size, `duplicate results: ${indices}`).toBe(indices.length);
        if (!outcome.fatal) expect(indices).toEqual(MODULES.map((_, i) => i));
        expect(outcome.restarts).toBeLessThanOrEqual(3 * MODULES.length + 3);
      }),
      options(2000),
    );
    saveFigures("fuzz", { seed: SEED, decoderCases: runs.decoder, driverCases: runs.driver });
  }, 120_000);
});
