/**
 * `@armature/openapi`: the OpenAPI 3.1 document of an Armature app, built from its route table
 * (functional routes and DI controllers), documentation decorators, and serving it as JSON,
 * YAML and a Swagger UI page. Guide: docs/openapi.md.
 */
export { createDocument, openApiPath, type DocumentOptions, type DocumentSource, type RouteTableSource } from './document.js';
export { serveOpenApi, type ServeOptions } from './serve.js';
export { ApiBearerAuth, ApiBody, ApiExcludeController, ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiSecurity, ApiSecurityScheme, ApiTags } from './decorators.js';
export type { OperationMetadata, ResponseMetadata, RequestBodyMetadata } from './metadata.js';
export type {
  ExampleObject, InfoObject, MediaTypeObject, OpenApiDocument, OperationObject, ParameterObject, PathItemObject, RequestBodyObject,
  ResponseObject, SchemaObject, SecurityRequirement, SecuritySchemeObject, ServerObject, TagObject,
} from './spec.js';
