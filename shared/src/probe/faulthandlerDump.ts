// Reads the traceback that Python's faulthandler wrote when a module hung or
// crashed the probe, and picks the line in the project where it was stuck.
import type { Position } from "./probeMessages";

interface Frame {
  path: string;
  line: number;
}

/** Thread blocks of a faulthandler dump, each most recent call first. */
export function parseFaulthandlerDump(text: string): Frame[][] {
  const threads: Frame[][] = [];
  let current: Frame[] | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (/^(Current thread|Thread) 0x[0-9a-f]+/i.test(raw) || /^Stack \(most recent call first\)/.test(raw)) {
      current = [];
      threads.push(current);
      continue;
    }
    const m = /^\s+File "(.*)", line (\d+) in /.exec(raw);
    if (m && current) current.push({ path: m[1], line: Number(m[2]) });
  }
  return threads;
}

/**
 * The innermost project frame of the thread that was importing `moduleFile`
 * (a thread left behind by an earlier timed-out module may be in the dump too).
 */
export function stuckLocation(dump: string, relOf: (absPath: string) => string | null, moduleFile: string): Position | null {
  const threads = parseFaulthandlerDump(dump).map((frames) =>
    frames.map((f) => ({ rel: relOf(f.path), line: f.line })).filter((f): f is { rel: string; line: number } => f.rel !== null),
  );
  const importing = threads.find((frames) => frames.some((f) => f.rel === moduleFile));
  const frames = importing ?? threads.find((frames) => frames.length > 0);
  if (!frames || frames.length === 0) return null;
  return { file: frames[0].rel, line: frames[0].line, col: 0 };
}
