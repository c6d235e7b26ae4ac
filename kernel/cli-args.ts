// Command-line parsing shared by `looplab run`, `export` and `course`, so all three treat --help and bad flags the same way.
import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * Parses a subcommand's arguments: with --help (declare it in `config`) prints `usage` and gives exit code 0;
 * an unknown flag, or a check in `build` that throws, prints "looplab NAME: message" and the usage and gives
 * exit code 2. Otherwise returns what `build` made of the parsed arguments.
 */
export function parseCommand<T extends ParseArgsConfig, R extends object>(
  name: string,
  usage: string,
  config: T,
  build: (parsed: ReturnType<typeof parseArgs<T>>) => R,
): R | number {
  try {
    const parsed = parseArgs(config);
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(usage);
      return 0;
    }
    return build(parsed);
  } catch (error) {
    process.stderr.write(`looplab ${name}: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
}

/** The flag's value as a positive finite number; undefined when the flag was not given. Throws a one-line message otherwise. */
export function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  // Number("") is 0 and Number(" 3 ") is 3: an empty value is rejected by the positivity check.
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number, not '${value}'`);
  return n;
}

/** The flag's value when it is one of `allowed`; undefined when the flag was not given. Throws a one-line message otherwise. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`--${flag} must be one of ${allowed.join(", ")}, not '${value}'`);
}
