import { ConfigError } from "./errors";

/**
 * DNS names as the edge layer takes them: lower case, without a trailing dot, each label
 * 1-63 letters, digits and hyphens (not at either end), at most 253 characters, at least
 * two labels. A wildcard (`*.example.com`) only where `wildcard` allows it, and only as
 * the whole first label.
 */
export function validateDomainName(name: string, key: string, options: { wildcard?: boolean } = {}): void {
  const fail = (problem: string, fix = "use a fully qualified lower-case name such as app.example.com") => {
    throw new ConfigError(key, name, problem, fix);
  };
  if (name.endsWith(".")) fail("ends with a dot", `drop the trailing dot: ${name.replace(/\.+$/, "")}`);
  if (name !== name.toLowerCase()) fail("has upper-case letters", `use ${name.toLowerCase()}`);
  if (name.length > 253) fail(`is ${name.length} characters; DNS names are at most 253`);
  const labels = name.split(".");
  if (labels.length < 2) fail("is not a fully qualified domain name");
  labels.forEach((label, i) => {
    if (label === "*") {
      if (i > 0 || !options.wildcard) fail(options.wildcard ? "has a wildcard that is not the whole first label" : "is a wildcard, which is not allowed here");
      return;
    }
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) {
      fail(`has the label "${label}", which is not 1-63 letters, digits and inner hyphens`);
    }
  });
  if (/^[0-9]+$/.test(labels[labels.length - 1])) fail("ends in a numeric label (an IP address is not a domain name)");
}

/** Whether `name` is `zone` itself or a name below it (`app.example.com` in `example.com`). */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * A short, stable construct id for a name inside a zone: the labels below the zone joined
 * by `_` (`app.staging` for `app.staging.example.com` -> `app_staging`), `apex` for the
 * zone itself, `wildcard` for a leading `*`.
 */
export function relativeKey(name: string, zone: string): string {
  if (name === zone) return "apex";
  const relative = name.slice(0, name.length - zone.length - 1);
  return relative
    .split(".")
    .map((label) => (label === "*" ? "wildcard" : label.replace(/-/g, "_")))
    .join("_");
}

/**
 * The domains RFC 2606 reserves for documentation. The presets' staging and prod domains
 * live under `example.com`: they synthesize and plan, and synth warns until they are
 * replaced with a domain the user owns.
 */
export const RESERVED_EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"] as const;

/** Whether `name` is one of the reserved example domains or a name below one. */
export function isExampleDomain(name: string): boolean {
  return RESERVED_EXAMPLE_DOMAINS.some((domain) => isInZone(name, domain));
}
