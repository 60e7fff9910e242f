/**
 * Checks real answers of the reference server against docs/openapi.yaml, so
 * client generators and API tools can trust it: the operation (path template
 * and method) must be described, the status must be one of its responses, and
 * a JSON body must match that response's schema for the answer's content type.
 *
 * Ajv (with ajv-formats) validates: OpenAPI 3.1 schemas are JSON Schema 2020-12,
 * which Ajv implements fully and which is the most used and best kept JSON
 * Schema validator for Node. The OpenAPI-specific validators (openapi-response-validator,
 * express-openapi-validator) stop at OpenAPI 3.0 or want an Express app.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

interface Response {
  $ref?: string;
  content?: Record<string, { schema?: object }>;
}
interface Operation {
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Response> };
}

const DOC_ID = 'openapi.json';
const doc = parse(readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8')) as Document;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
// OpenAPI's own schema keywords (3.1 § 4.8.24) are annotations, and the document's top-level
// fields are not a schema: the whole document is added only so that its `$ref`s resolve.
ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
ajv.addVocabulary(['openapi', 'info', 'servers', 'tags', 'paths', 'components', 'security', 'webhooks']);
ajv.addSchema(doc as object, DOC_ID);

const routes = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
}));
const compiled = new Map<string, ValidateFunction>();

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Why this answer does not match the description, or null when it does. */
export function openapiMismatch(method: string, url: string, status: number, contentType: string | null, body: unknown): string | null {
  const path = new URL(url, 'http://backend.invalid').pathname;
  const route = routes.find((r) => r.pattern.test(path));
  if (!route) return null; // not an API route (the stream, images): outside the description
  // HEAD is GET without the body (RFC 9110 §9.3.2): a path described for GET answers HEAD the same way.
  const op =
    doc.paths[route.template][method.toLowerCase()] ?? (method.toUpperCase() === 'HEAD' ? doc.paths[route.template].get : undefined);
  if (!op) return status === 405 ? null : `${method} ${route.template} is not described`;
  const key =
    String(status) in op.responses ? String(status) : `${String(status)[0]}XX` in op.responses ? `${String(status)[0]}XX` : 'default';
  let response = op.responses[key];
  if (!response)
    return `${method} ${route.template} answered ${status}, which is not among its responses (${Object.keys(op.responses).join(', ')})`;
  let at = pointer('paths', route.template, method.toLowerCase(), 'responses', key);
  if (response.$ref) {
    at = response.$ref;
    response = doc.components.responses[response.$ref.split('/').pop()!];
  }
  if (!response.content) return null;
  const type = (contentType ?? '').split(';')[0].trim();
  if (!(type in response.content))
    return `${method} ${route.template} ${status} came as "${type}", described as ${Object.keys(response.content).join(' or ')}`;
  if (!type.endsWith('json') || !response.content[type].schema || method.toUpperCase() === 'HEAD') return null;
  const ref = `${DOC_ID}${at}/content/${pointer(type).slice(2)}/schema`;
  let validate = compiled.get(ref);
  if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: ref })));
  if (validate(body)) return null;
  return `${method} ${route.template} ${status} does not match docs/openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`;
}
