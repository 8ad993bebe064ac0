// OpenAPI documents (pkg/api/openapi).
export { openapiV2, openapiV2Protobuf, openapiV3Document, openapiV3Index, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE } from "../../api/openapi/index.ts";
