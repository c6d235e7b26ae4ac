// Validates notebooks against the official nbformat 4.5 JSON schema (from Debian's python3-nbformat).
import { existsSync, readFileSync } from "node:fs";
import { Ajv } from "ajv";

export const SCHEMA_PATH = "/usr/lib/python3/dist-packages/nbformat/v4/nbformat.v4.5.schema.json";

/** Why schema tests cannot run here, or undefined when they can. In CI the schema must be present. */
export function schemaMissing(): string | undefined {
  if (existsSync(SCHEMA_PATH)) return undefined;
  if (process.env.CI === "true") throw new Error(`${SCHEMA_PATH} is missing; CI must install python3-nbformat`);
  return `${SCHEMA_PATH} is absent (apt install python3-nbformat)`;
}

let validate: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/** Schema errors of a notebook's JSON text ([] when valid). */
export function schemaErrors(text: string): string[] {
  if (!validate) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
    // The schema declares draft-04; its keywords are all ones draft-07 reads the same way.
    delete schema.$schema;
    validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  }
  if (validate(JSON.parse(text))) return [];
  return ((validate.errors ?? []) as { instancePath: string; message?: string }[]).map((e) => `${e.instancePath} ${e.message}`);
}
