// /openapi/v2 in the protobuf form kubectl 1.27/1.28 ask for
// (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf): gnostic's openapi.v2.Document.
// Only the messages and field numbers a swagger document produced by openapiV2() needs are declared.
import protobuf from "protobufjs";
import { stringify } from "yaml";

/** What clients put in Accept. */
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
/** What to answer with: Go's mime parser rejects the "@" of the Accept form, so the response uses a dot. */
export const OPENAPI_V2_PROTOBUF_RESPONSE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

const s = (id: number) => ({ type: "string", id });
const b = (id: number) => ({ type: "bool", id });
const m = (type: string, id: number) => ({ type, id });
const r = (type: string, id: number) => ({ type, id, rule: "repeated" });
const named = (value: string) => ({ fields: { name: s(1), value: m(value, 2) } });

const root = protobuf.Root.fromJSON({
  nested: {
    Document: { fields: { swagger: s(1), info: m("Info", 2), paths: m("Paths", 8), definitions: m("Definitions", 9), vendorExtension: r("NamedAny", 16) } },
    Info: { fields: { title: s(1), version: s(2) } },
    Definitions: { fields: { additionalProperties: r("NamedSchema", 1) } },
    Paths: { fields: { path: r("NamedPathItem", 2) } },
    NamedPathItem: named("PathItem"),
    PathItem: {
      fields: { get: m("Operation", 2), put: m("Operation", 3), post: m("Operation", 4), delete: m("Operation", 5), patch: m("Operation", 8), parameters: r("ParametersItem", 9) },
    },
    Operation: {
      fields: {
        tags: r("string", 1),
        description: s(3),
        operationId: s(5),
        produces: r("string", 6),
        consumes: r("string", 7),
        parameters: r("ParametersItem", 8),
        responses: m("Responses", 9),
        schemes: r("string", 10),
        vendorExtension: r("NamedAny", 13),
      },
    },
    ParametersItem: { fields: { parameter: m("Parameter", 1) } },
    Parameter: { fields: { bodyParameter: m("BodyParameter", 1), nonBodyParameter: m("NonBodyParameter", 2) } },
    BodyParameter: { fields: { description: s(1), name: s(2), in: s(3), required: b(4), schema: m("Schema", 5) } },
    NonBodyParameter: { fields: { queryParameterSubSchema: m("QueryParameterSubSchema", 3), pathParameterSubSchema: m("PathParameterSubSchema", 4) } },
    QueryParameterSubSchema: { fields: { required: b(1), in: s(2), description: s(3), name: s(4), type: s(6), uniqueItems: b(20) } },
    PathParameterSubSchema: { fields: { required: b(1), in: s(2), description: s(3), name: s(4), type: s(5), uniqueItems: b(19) } },
    Responses: { fields: { responseCode: r("NamedResponseValue", 1) } },
    NamedResponseValue: named("ResponseValue"),
    ResponseValue: { fields: { response: m("Response", 1) } },
    Response: { fields: { description: s(1), schema: m("SchemaItem", 2) } },
    SchemaItem: { fields: { schema: m("Schema", 1) } },
    Schema: {
      fields: {
        _ref: s(1),
        format: s(2),
        description: s(4),
        required: r("string", 19),
        additionalProperties: m("AdditionalPropertiesItem", 21),
        type: m("TypeItem", 22),
        items: m("ItemsItem", 23),
        allOf: r("Schema", 24),
        properties: m("Properties", 25),
        vendorExtension: r("NamedAny", 31),
      },
    },
    AdditionalPropertiesItem: { fields: { schema: m("Schema", 1), boolean: b(2) } },
    TypeItem: { fields: { value: r("string", 1) } },
    ItemsItem: { fields: { schema: r("Schema", 1) } },
    Properties: { fields: { additionalProperties: r("NamedSchema", 1) } },
    NamedSchema: named("Schema"),
    NamedAny: named("Any"),
    Any: { fields: { yaml: s(2) } },
  },
});
const Document = root.lookupType("Document");

type J = Record<string, any>;

/** Vendor extensions travel as YAML text inside NamedAny. */
function extensions(o: J): J[] {
  return Object.entries(o)
    .filter(([k]) => k.startsWith("x-"))
    .map(([name, v]) => ({ name, value: { yaml: stringify(v) } }));
}

function schema(o: J): J {
  const out: J = { vendorExtension: extensions(o) };
  if (o.$ref) out._ref = o.$ref;
  if (o.format) out.format = o.format;
  if (o.description) out.description = o.description;
  if (o.required) out.required = o.required;
  if (o.type) out.type = { value: [o.type] };
  if (o.items) out.items = { schema: [schema(o.items)] };
  if (o.additionalProperties) out.additionalProperties = { schema: schema(o.additionalProperties) };
  if (o.allOf) out.allOf = o.allOf.map(schema);
  if (o.properties) out.properties = { additionalProperties: Object.entries(o.properties).map(([name, v]) => ({ name, value: schema(v as J) })) };
  return out;
}

function parameter(p: J): J {
  if (p.in === "body") return { parameter: { bodyParameter: { description: p.description, name: p.name, in: p.in, required: !!p.required, schema: schema(p.schema) } } };
  const sub = { required: !!p.required, in: p.in, description: p.description, name: p.name, type: p.type, uniqueItems: !!p.uniqueItems };
  return { parameter: { nonBodyParameter: p.in === "path" ? { pathParameterSubSchema: sub } : { queryParameterSubSchema: sub } } };
}

function operation(o: J): J {
  return {
    tags: o.tags,
    description: o.description,
    operationId: o.operationId,
    produces: o.produces,
    consumes: o.consumes,
    parameters: (o.parameters ?? []).map(parameter),
    responses: {
      responseCode: Object.entries(o.responses ?? {}).map(([name, v]: [string, any]) => ({
        name,
        value: { response: { description: v.description, ...(v.schema ? { schema: { schema: schema(v.schema) } } : {}) } },
      })),
    },
    schemes: o.schemes,
    vendorExtension: extensions(o),
  };
}

/** Encode a swagger 2.0 document (as openapiV2() returns it) as gnostic protobuf. */
export function encodeOpenapiV2(doc: J): Uint8Array {
  const paths = Object.entries(doc.paths ?? {}).map(([name, item]: [string, any]) => {
    const value: J = { parameters: (item.parameters ?? []).map(parameter) };
    for (const verb of ["get", "put", "post", "delete", "patch"]) if (item[verb]) value[verb] = operation(item[verb]);
    return { name, value };
  });
  const definitions = Object.entries(doc.definitions ?? {}).map(([name, v]) => ({ name, value: schema(v as J) }));
  const msg = Document.fromObject({ swagger: doc.swagger, info: doc.info, paths: { path: paths }, definitions: { additionalProperties: definitions } });
  return Document.encode(msg).finish();
}
