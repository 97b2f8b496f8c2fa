export { docsRouter } from './docs.routes';
export { buildOpenApiDocument } from './openapi';
export { OPERATIONS, type Operation } from './operations';
