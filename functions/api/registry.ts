import { ENDPOINTS } from '../../schemas/api.js';
import { apiHandler, route } from '../http/route.js';
import { putRegistryEntry } from '../store/registry.js';

export const handler = apiHandler([
  route(ENDPOINTS.putRegistryEntry, async ({ params, body }) => {
    const entry = { uscc: params.uscc, ...body, updatedAt: new Date().toISOString() };
    await putRegistryEntry(entry);
    return { status: 200, body: entry };
  }),
]);
