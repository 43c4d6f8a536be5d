/**
 * Tags the project sets on every resource (through the provider's `default_tags`). Users
 * cannot set them: a user's own value would be silently replaced, so config refuses it.
 */
export const RESERVED_TAG_KEYS = ["Project", "Environment", "ManagedBy"] as const;

/** The tags every resource of a system carries: the user's tags plus the reserved ones. */
export function commonTags(project: string, environment: string, tags: Readonly<Record<string, string>>): Record<string, string> {
  return { ...tags, Project: project, Environment: environment, ManagedBy: "cdktf" };
}
