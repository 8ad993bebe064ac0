// Printers of networking, rbac, storage, scheduling, coordination and node kinds.
import type { KubeObject } from "../types.ts";
import { ageCol, col, int, nameCol, str } from "./columns.ts";
import { humanDuration, since } from "./duration.ts";
import type { Printer } from "./types.ts";
import { formatLabelSelector } from "./workloads.ts";
import { loadBalancerIngress } from "./core.ts";

const name = (o: KubeObject) => o.metadata?.name ?? "";
const age = (o: KubeObject, now: number) => since(o.metadata?.creationTimestamp, now);

function formatHosts(rules: any[]): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const r of rules) {
    if (list.length === max) more = true;
    if (!more && r?.host) list.push(r.host);
  }
  if (list.length === 0) return "*";
  return more ? `${list.join(",")} + ${rules.length - max} more...` : list.join(",");
}

export const ingressPrinter: Printer = {
  columns: [
    nameCol(),
    col("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
    col("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
    col("Address", "string", "Address is a list containing ingress points for the load-balancer"),
    col("Ports", "string", "Ports of TLS configurations that open"),
    ageCol(),
  ],
  cells: (o, now) => {
    const rules: any[] = Array.isArray(o.spec?.rules) ? o.spec.rules : [];
    const ports = Array.isArray(o.spec?.tls) && o.spec.tls.length > 0 ? "80, 443" : "80";
    return [name(o), o.spec?.ingressClassName || "<none>", formatHosts(rules), loadBalancerIngress(o.status?.loadBalancer), ports, age(o, now)];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameCol(),
    col("Controller", "string", "Controller that is responsible for handling this class"),
    col("Parameters", "string", "A reference to a resource with additional parameters"),
    ageCol(),
  ],
  cells: (o, now) => {
    const p = o.spec?.parameters;
    let params = "<none>";
    if (p) params = p.apiGroup ? `${p.kind}.${p.apiGroup}/${p.name}` : `${p.kind}/${p.name}`;
    return [name(o), str(o.spec?.controller), params, age(o, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [
    nameCol(),
    col("Pod-Selector", "string", "Selects the pods to which this NetworkPolicy object applies. An empty podSelector selects all pods in this namespace."),
    ageCol(),
  ],
  cells: (o, now) => [name(o), formatLabelSelector(o.spec?.podSelector ?? {}), age(o, now)],
};

export const storageClassPrinter: Printer = {
  columns: [
    nameCol(),
    col("Provisioner", "string", "Indicates the type of the provisioner."),
    col("ReclaimPolicy", "string", "Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy. Defaults to Delete."),
    col("VolumeBindingMode", "string", "VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used."),
    col("AllowVolumeExpansion", "string", "AllowVolumeExpansion shows whether the storage class allow volume expand"),
    ageCol(),
  ],
  cells: (o, now) => {
    const a = o.metadata?.annotations ?? {};
    const isDefault = a["storageclass.kubernetes.io/is-default-class"] === "true" || a["storageclass.beta.kubernetes.io/is-default-class"] === "true";
    return [
      isDefault ? `${name(o)} (default)` : name(o),
      str(o.provisioner),
      o.reclaimPolicy || "Delete",
      o.volumeBindingMode || "Immediate",
      o.allowVolumeExpansion === true,
      age(o, now),
    ];
  },
};

export const priorityClassPrinter: Printer = {
  columns: [
    nameCol(),
    col("Value", "integer", "The value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
    col("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
    ageCol(),
    col("PreemptionPolicy", "string", "PreemptionPolicy is the Policy for preempting pods with lower priority."),
  ],
  cells: (o, now) => [name(o), int(o.value), o.globalDefault === true, age(o, now), str(o.preemptionPolicy)],
};

export const leasePrinter: Printer = {
  columns: [nameCol(), col("Holder", "string", "The holder of the lease"), ageCol()],
  cells: (o, now) => [name(o), str(o.spec?.holderIdentity), age(o, now)],
};

export const runtimeClassPrinter: Printer = {
  columns: [nameCol(), col("Handler", "string", "The name of the underlying runtime and configuration."), ageCol()],
  cells: (o, now) => [name(o), str(o.handler), age(o, now)],
};

export const bindingPrinter: Printer = {
  columns: [
    nameCol(),
    col("Role", "string", "RoleRef references a Role or ClusterRole in the current namespace."),
    ageCol(),
    col("Users", "string", "Users in the roleBinding", 1),
    col("Groups", "string", "Groups in the roleBinding", 1),
    col("ServiceAccounts", "string", "ServiceAccounts in the roleBinding", 1),
  ],
  cells: (o, now) => {
    const users: string[] = [];
    const groups: string[] = [];
    const sas: string[] = [];
    for (const s of o.subjects ?? []) {
      if (s?.kind === "User") users.push(s.name);
      else if (s?.kind === "Group") groups.push(s.name);
      else if (s?.kind === "ServiceAccount") sas.push(`${s.namespace ?? ""}/${s.name}`);
    }
    return [name(o), `${o.roleRef?.kind ?? ""}/${o.roleRef?.name ?? ""}`, age(o, now), users.join(", "), groups.join(", "), sas.join(", ")];
  },
};

export const csrPrinter: Printer = {
  columns: [
    nameCol(),
    ageCol(),
    col("SignerName", "string", "Only track the signer name of the certificate request."),
    col("Requestor", "string", "Name of the user requesting the certificate."),
    col("RequestedDuration", "string", "Requested certificate duration."),
    col("Condition", "string", "Status of the certificate request."),
  ],
  cells: (o, now) => {
    const types = new Set((o.status?.conditions ?? []).map((c: any) => c?.type));
    let status = types.has("Denied") ? "Denied" : types.has("Approved") ? "Approved" : "Pending";
    if (types.has("Failed")) status += ",Failed";
    if (o.status?.certificate) status += ",Issued";
    const exp = o.spec?.expirationSeconds;
    return [name(o), age(o, now), o.spec?.signerName || "<none>", str(o.spec?.username), typeof exp === "number" ? humanDuration(exp * 1000) : "<none>", status];
  },
};
