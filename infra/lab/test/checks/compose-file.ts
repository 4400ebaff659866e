import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { repoPath } from '../../src/repo-paths.js';

export interface ComposeValidation {
  valid: boolean;
  /** One line per schema violation: "<path> <message>". */
  errors: string[];
  /** The file as Compose reads it (anchors and merge keys resolved, nothing interpolated). */
  document: unknown;
}

const schemaPath = repoPath('infra', 'lab', 'schemas', 'compose-spec.json');

const formatError = (e: ErrorObject): string => {
  const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
};

/**
 * Validates a compose file against the Compose Specification JSON schema, as `docker compose
 * config` would before interpolation; this machine has no Docker engine to ask.
 */
export async function validateComposeText(text: string): Promise<ComposeValidation> {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as Record<string, unknown>;
  // The upstream schema names draft-07 by an https URL Ajv does not know; the keywords are draft-07.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const document: unknown = parse(text, { merge: true });
  const valid = validate(document);
  return { valid, errors: (validate.errors ?? []).map(formatError), document };
}

export async function validateComposeFile(path = repoPath('docker-compose.yml')): Promise<ComposeValidation> {
  return validateComposeText(await readFile(path, 'utf8'));
}
