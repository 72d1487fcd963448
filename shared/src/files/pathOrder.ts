// Python's orderings of paths. Two differ and both matter: `sorted()` of Path
// objects compares part by part (the scanner's module order), while sorting the
// `as_posix()` strings compares whole strings (the source fingerprint's order),
// so "a/b" < "a-b/x" for the first and "a-b/x" < "a/b" for the second.

/** Python's PurePosixPath ordering: part by part, by code point. */
export function comparePaths(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareCodePoints(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/** Python's `str` ordering: by code point (JS's default compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}
