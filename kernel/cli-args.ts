// Command-line value checks shared by `looplab run` and `looplab course`, so both reject bad flags the same way.

/** The flag's value as a positive finite number; undefined when the flag was not given. Throws a one-line message otherwise. */
export function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  // Number("") is 0 and Number(" 3 ") is 3: an empty value is rejected by the positivity check.
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number, not '${value}'`);
  return n;
}
