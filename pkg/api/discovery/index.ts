// Discovery documents served by the API server (legacy and aggregated).
export { aggregatedDiscovery, AGGREGATED_CONTENT_TYPE } from "./aggregated.ts";
export { apiGroupList, apiResourceList, apiVersions, storageVersionHash } from "./legacy.ts";
