import { closest } from "fastest-levenshtein";

/**
 * The EC2 instance types, ElastiCache node types and RDS DB instance classes synth
 * accepts: the current general purpose, compute and memory optimized families (x86 and
 * Graviton), by family and size. A type missing here fails synth with the closest known
 * one; a family of your own is one line here.
 *
 * Sources: AWS, "Amazon EC2 instance types" (https://aws.amazon.com/ec2/instance-types/),
 * "Supported node types" for ElastiCache
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html),
 * and "DB instance classes" / "Supported DB engines for DB instance classes" for RDS
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html).
 */
const BURSTABLE = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"];
const STANDARD = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];
const CURRENT = [...STANDARD, "32xlarge", "48xlarge"];

const EC2_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  t2: BURSTABLE,
  t3: BURSTABLE,
  t3a: BURSTABLE,
  t4g: BURSTABLE,
  m5: [...STANDARD, "metal"],
  m5a: STANDARD,
  m6a: [...CURRENT, "metal"],
  m6g: ["medium", ...STANDARD.slice(0, 6), "metal"],
  m6i: [...CURRENT.slice(0, 9), "metal"],
  m7a: [...CURRENT, "metal-48xl"],
  m7g: ["medium", ...STANDARD.slice(0, 6), "metal"],
  m7i: [...CURRENT, "metal-24xl", "metal-48xl"],
  "m7i-flex": ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  m8g: ["medium", ...STANDARD, "48xlarge", "metal-24xl", "metal-48xl"],
  c5: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge", "metal"],
  c5a: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"],
  c6a: [...CURRENT, "metal"],
  c6g: ["medium", ...STANDARD.slice(0, 6), "metal"],
  c6i: [...CURRENT.slice(0, 9), "metal"],
  c7a: ["medium", ...CURRENT, "metal-48xl"],
  c7g: ["medium", ...STANDARD.slice(0, 6), "metal"],
  c7i: [...CURRENT, "metal-24xl", "metal-48xl"],
  c8g: ["medium", ...STANDARD, "48xlarge", "metal-24xl", "metal-48xl"],
  r5: [...STANDARD, "metal"],
  r5a: STANDARD,
  r6a: [...CURRENT, "metal"],
  r6g: ["medium", ...STANDARD.slice(0, 6), "metal"],
  r6i: [...CURRENT.slice(0, 9), "metal"],
  r7a: ["medium", ...CURRENT, "metal-48xl"],
  r7g: ["medium", ...STANDARD.slice(0, 6), "metal"],
  r7i: [...CURRENT, "metal-24xl", "metal-48xl"],
  r8g: ["medium", ...STANDARD, "48xlarge", "metal-24xl", "metal-48xl"],
};

const CACHE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  t3: ["micro", "small", "medium"],
  t4g: ["micro", "small", "medium"],
  m5: ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"],
  m6g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  m7g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  r5: ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"],
  r6g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  r7g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
};

const DB_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  t3: ["micro", "small", "medium", "large", "xlarge", "2xlarge"],
  t4g: ["micro", "small", "medium", "large", "xlarge", "2xlarge"],
  m5: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"],
  m6g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  m6i: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"],
  m7g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  m7i: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
  r5: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"],
  r6g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  r6i: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"],
  r7g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  r7i: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
};

function expand(prefix: string, families: Readonly<Record<string, readonly string[]>>): ReadonlySet<string> {
  return new Set(Object.entries(families).flatMap(([family, sizes]) => sizes.map((size) => `${prefix}${family}.${size}`)));
}

/** The kinds of machine type synth checks. */
export type MachineKind = "ec2" | "cache" | "db";

/** Every known type, by kind. */
export const MACHINE_TYPES: Readonly<Record<MachineKind, ReadonlySet<string>>> = {
  ec2: expand("", EC2_FAMILIES),
  cache: expand("cache.", CACHE_FAMILIES),
  db: expand("db.", DB_FAMILIES),
};

const DESCRIPTION: Readonly<Record<MachineKind, string>> = {
  ec2: "an EC2 instance type",
  cache: "an ElastiCache node type",
  db: "an RDS DB instance class",
};

/** Whether `type` is a known type of `kind`. */
export function isKnownMachineType(kind: MachineKind, type: string): boolean {
  return MACHINE_TYPES[kind].has(type);
}

/** What is wrong with `type` as a `kind` and how to fix it, or undefined when it is known. */
export function machineTypeProblem(kind: MachineKind, type: string): { problem: string; fix: string } | undefined {
  if (isKnownMachineType(kind, type)) return undefined;
  const suggestion = closest(type, [...MACHINE_TYPES[kind]]);
  return {
    problem: `is not ${DESCRIPTION[kind]} this project knows`,
    fix: `did you mean "${suggestion}"? (the known types are in src/lib/instance-types.ts; add a new family there)`,
  };
}

/**
 * Whether `type` runs on Graviton (ARM): its family has a `g` right after the generation digit
 * (plus options), e.g. t4g, m7g, c7gn, r6gd, x2gd, g5g, is4gen, db.r7g, cache.m7g; or it is `a1`.
 */
export function isGravitonType(type: string): boolean {
  const family = type.replace(/^(db|cache)\./, "").split(".")[0];
  return /^[a-z]+\d+g[a-z-]*$/.test(family) || family === "a1";
}
