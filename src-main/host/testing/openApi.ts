// Test helper: validates the host's JSON answers against docs/openapi.yaml with ajv (JSON Schema 2020-12, as
// OpenAPI 3.1 uses), and records which documented operations and statuses the tests exercised. For tests only.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';

export const OPENAPI_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/openapi.yaml');

type Json = any;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', 'openapi#/$defs/') : rewriteRefs(value);
  }
  return out;
}

export interface OpenApiChecker {
  readonly doc: Json;
  /** Throws (with ajv's errors) unless `body` matches the documented JSON schema for this operation and status. */
  check(pathTemplate: string, method: string, status: number, body: unknown): void;
  /** "METHOD path status" for every check that passed. */
  readonly seen: Set<string>;
}

export function loadOpenApi(): OpenApiChecker {
  const doc = loadYaml(readFileSync(OPENAPI_PATH, 'utf8')) as Json;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  ajv.addFormat('uuid', UUID);
  ajv.addFormat('date-time', DATE_TIME);
  ajv.addSchema({ $id: 'openapi', $defs: rewriteRefs(doc.components.schemas) });
  const compiled = new Map<string, ValidateFunction>();
  const seen = new Set<string>();

  const responseOf = (pathTemplate: string, method: string, status: number): Json => {
    const operation = doc.paths?.[pathTemplate]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${pathTemplate} is not documented in openapi.yaml`);
    let response = operation.responses?.[String(status)];
    if (!response) throw new Error(`${method} ${pathTemplate} has no documented ${status} response`);
    if (response.$ref) response = doc.components.responses[String(response.$ref).replace('#/components/responses/', '')];
    return response;
  };

  return {
    doc,
    seen,
    check(pathTemplate, method, status, body) {
      const key = `${method.toUpperCase()} ${pathTemplate} ${status}`;
      let validate = compiled.get(key);
      if (!validate) {
        const schema = responseOf(pathTemplate, method, status).content?.['application/json']?.schema;
        if (!schema) throw new Error(`${key} documents no JSON body`);
        validate = ajv.compile(rewriteRefs(schema));
        compiled.set(key, validate);
      }
      if (!validate(body)) throw new Error(`${key} does not match openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 800)}`);
      seen.add(key);
    },
  };
}
