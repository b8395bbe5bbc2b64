/** One regex test: a pattern and its flags ('' or 'i'). */
export interface RegexTest {
  readonly pattern: string;
  readonly flags: string;
}

/** Backreferences renumber and named groups clash once patterns are joined: such patterns run alone. */
const UNJOINABLE = /\\[1-9]|\\k<|\(\?<[A-Za-z_$]/;

/**
 * Regexes that match a string exactly when one of `tests` does: one joined regex per flag set, since
 * `(?:a)|(?:b)` matches exactly when `a` or `b` does, plus the patterns that cannot be joined. A clean text
 * then costs a pass or two, not one per test.
 */
export function joinRegexTests(tests: readonly RegexTest[]): RegExp[] {
  const alone = tests.filter((t) => UNJOINABLE.test(t.pattern)).map((t) => new RegExp(t.pattern, t.flags));
  const joined = ['', 'i'].flatMap((flags) => {
    const patterns = tests.filter((t) => t.flags === flags && !UNJOINABLE.test(t.pattern));
    return patterns.length ? [new RegExp(patterns.map((t) => `(?:${t.pattern})`).join('|'), flags)] : [];
  });
  return [...joined, ...alone];
}
