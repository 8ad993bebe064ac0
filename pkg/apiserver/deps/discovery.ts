// Discovery documents (pkg/api/discovery).
export { aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions } from "../../api/discovery/index.ts";
