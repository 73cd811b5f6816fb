import { ENDPOINTS } from '../../schemas/api.js';
import { buildOpenApiDocument } from '../../schemas/openapi.js';
import { apiHandler, route } from '../http/route.js';

let openApiDocument: object | undefined;

export const handler = apiHandler([
  route(ENDPOINTS.health, async () => ({ status: 200, body: { status: 'ok' } })),
  route(ENDPOINTS.openapi, async () => ({ status: 200, body: (openApiDocument ??= buildOpenApiDocument()) })),
]);
