// Wait for conditions, never for fixed times: poll until a check returns a value.

export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Calls `check` every `intervalMs` until it returns something other than
 * undefined/false/null, and returns that. On timeout, throws naming `what` and the
 * last value or error seen, so a failing e2e run says what it was waiting for.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, o: PollOptions = {}): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, false | null | undefined>;
      last = value;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${o.timeoutMs ?? 30_000} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
  }
}
