// Validates rendered Kubernetes manifests offline, strictly: every object against the schema of
// its apiVersion and kind, and every field must be one the schema knows (the API server would
// drop an unknown field, or refuse it with --validate=strict: a typo is a setting silently lost).
//
//   kubectl kustomize k8s/overlays/prod | node k8s/validate/validate.mjs
//   node k8s/validate/validate.mjs rendered.yaml ...
//
// Built-in kinds use the kubernetes-models schemas. Their compiled validators ignore unknown
// fields, so each object is validated through a Proxy that records which fields the validator
// looked at: a field it never read is not in the schema. The two custom resources (CloudNativePG's
// Cluster, the RabbitMQ operator's RabbitmqCluster) have no schema package on npm; they are checked
// against crd-schemas.json, the part of each operator's API that Shifts uses, just as strictly.
// Prints one line per object and exits 1 when anything is wrong.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import { validate as validateObjectMeta } from "@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta";

const crdSchemas = JSON.parse(readFileSync(new URL("./crd-schemas.json", import.meta.url), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: true });

const text = process.argv.length > 2
  ? process.argv.slice(2).map((file) => readFileSync(file, "utf8")).join("\n---\n")
  : readFileSync(0, "utf8");

let failures = 0;
let objects = 0;
for (const document of parseAllDocuments(text)) {
  if (document.errors.length > 0) {
    report("?", `YAML: ${document.errors[0].message}`);
    continue;
  }
  const object = document.toJS();
  if (object == null) continue;
  objects++;
  const name = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
  const problems = await check(object);
  if (problems.length === 0) {
    console.log(`ok ${object.apiVersion} ${name}`);
  } else {
    report(name, problems.join("; "));
  }
}

if (objects === 0) {
  report("-", "no objects in the input");
}
process.exit(failures > 0 ? 1 : 0);

function report(name, message) {
  failures++;
  console.log(`error ${name}: ${message}`);
}

async function check(object) {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    return ["apiVersion and kind are required"];
  }
  const crd = crdSchemas[`${object.apiVersion}/${object.kind}`];
  if (crd) {
    return checkCustomResource(object, crd);
  }
  const model = await loadModel(object.apiVersion, object.kind);
  if (!model) {
    return [`no schema for ${object.apiVersion} ${object.kind}`];
  }
  return checkWithSchema(object, (data) => model.prototype.validate.call(data));
}

async function loadModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    const module = await import(path);
    return module[kind];
  } catch {
    return null;
  }
}

/** Runs the validator on a recording view of the object; returns schema errors and unknown fields. */
function checkWithSchema(object, run) {
  const read = new Set();
  try {
    run(track(object, "", read));
  } catch (error) {
    return [error.message.replaceAll("\n", " ")];
  }
  return unknownFields(object, "", read).map((path) => `unknown field ${path}`);
}

function checkCustomResource(object, schema) {
  const problems = [];
  const validate = ajv.compile(schema);
  const { metadata, ...rest } = object;
  if (!validate(rest)) {
    problems.push(...validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`));
  }
  if (metadata === undefined) {
    problems.push("metadata is required");
  } else {
    problems.push(...checkWithSchema(metadata, (data) => {
      if (!validateObjectMeta(data)) {
        throw new Error(validateObjectMeta.errors.map((e) => `/metadata${e.instancePath} ${e.message}`).join("; "));
      }
    }).map((p) => p.replace("unknown field ", "unknown field /metadata")));
  }
  return problems;
}

/** A Proxy over the object (and, lazily, everything under it) that records each field read. */
function track(value, path, read) {
  if (value === null || typeof value !== "object") return value;
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      const result = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !Object.hasOwn(target, key)) return result;
      const child = `${path}/${key}`;
      read.add(child);
      if (!children.has(key)) children.set(key, track(result, child, read));
      return children.get(key);
    },
    has(target, key) {
      if (typeof key === "string") read.add(`${path}/${key}`);
      return Reflect.has(target, key);
    },
  });
}

function unknownFields(value, path, read) {
  if (value === null || typeof value !== "object") return [];
  const unknown = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (!read.has(childPath)) {
      unknown.push(childPath);
    } else {
      unknown.push(...unknownFields(child, childPath, read));
    }
  }
  return unknown;
}
