import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { ENDPOINTS, ErrorBody } from './api.js';

const ERROR_RESPONSES = {
  400: 'VALIDATION_ERROR: the body, path or query does not match; `issues` name each field',
  401: 'UNAUTHENTICATED: no token, or an invalid one',
  403: 'FORBIDDEN: the role may not do this',
  404: 'NOT_FOUND: no such resource, or one the caller may not see',
  409: 'CONFLICT or IDEMPOTENCY_MISMATCH',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE: bodies are application/json',
} as const;

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Claims: sub, role (enterprise | reviewer | finance | admin), uscc (enterprise), dept (reviewer)',
  });

  for (const [operationId, endpoint] of Object.entries(ENDPOINTS)) {
    const e = endpoint as import('./api.js').Endpoint;
    const responses: Record<string, object> = {};
    for (const [status, response] of Object.entries(e.responses)) {
      responses[status] = response.schema
        ? { description: response.description, content: { 'application/json': { schema: response.schema } } }
        : { description: response.description };
    }
    const errorStatuses = e.roles === 'public' ? [] : Object.entries(ERROR_RESPONSES);
    for (const [status, description] of errorStatuses) {
      responses[status] = { description, content: { 'application/json': { schema: ErrorBody } } };
    }
    registry.registerPath({
      operationId,
      method: e.method.toLowerCase() as 'get',
      path: e.path,
      summary: e.summary,
      ...(e.roles === 'public' ? {} : { security: [{ [bearer.name]: [] }], description: `Roles: ${e.roles.join(', ')}` }),
      request: {
        ...(e.params ? { params: e.params } : {}),
        ...(e.query ? { query: e.query } : {}),
        ...(e.headers ? { headers: e.headers } : {}),
        ...(e.body ? { body: { required: true, content: { 'application/json': { schema: e.body } } } } : {}),
      },
      responses,
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'jcg-subsidy API',
      version: '0.1.0',
      description: '“晋创谷·晋城”创新驱动平台支持措施 (晋市政办〔2024〕39号) subsidy applications, review and payment',
    },
  });
}
