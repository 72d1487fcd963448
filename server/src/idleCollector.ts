// After a burst of work (a scan, a manifest), collect garbage once the server has
// been idle for a moment, so its resident memory returns to its resting size
// instead of staying at the burst's peak.
import { runInNewContext } from "node:vm";

const IDLE_MS = 2000;

export function idleCollector(): { soon(): void } {
  // Available because main.ts sets --expose-gc before anything else runs.
  const gc = runInNewContext("typeof gc === 'function' ? gc : undefined") as (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    soon() {
      if (!gc) return;
      clearTimeout(timer);
      timer = setTimeout(gc, IDLE_MS);
      timer.unref();
    },
  };
}
