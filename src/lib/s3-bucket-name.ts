import { ConfigError } from "./errors";

/**
 * Fails with a ConfigError naming `key` unless `name` follows S3's bucket naming rules:
 * 3-63 characters of lower case letters, digits, dots and hyphens; starting and ending
 * with a letter or digit; no `..`; not shaped like an IP address; none of the prefixes
 * and suffixes AWS reserves.
 */
export function validateBucketName(name: string, key = "bucketName"): void {
  const fail = (problem: string, fix = "use 3-63 lower case letters, digits and hyphens, e.g. ode-prod-documents") => {
    throw new ConfigError(key, name, problem, fix);
  };
  if (name.length < 3 || name.length > 63) fail(`is ${name.length} characters; S3 bucket names are 3 to 63`);
  if (!/^[a-z0-9.-]+$/.test(name)) fail("may only hold lower case letters, digits, dots and hyphens");
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) fail("must start and end with a letter or digit");
  if (name.includes("..")) fail("may not contain two dots in a row");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) fail("may not look like an IP address");
  for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) {
    if (name.startsWith(prefix)) fail(`may not start with "${prefix}", which AWS reserves`);
  }
  for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) {
    if (name.endsWith(suffix)) fail(`may not end with "${suffix}", which AWS reserves`);
  }
}
