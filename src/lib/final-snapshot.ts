/**
 * The final snapshot a database or cache takes when it is destroyed:
 * `<identifier>-final-<UTC time of the plan that created it>`. The resource ignores later
 * changes to the name ({@link FINAL_SNAPSHOT_ATTRIBUTE} in its `ignore_changes`), so it keeps the
 * time it was created at: a re-created instance of the same identifier names its snapshot
 * anew, where a fixed name would already exist after the first destroy and fail the second.
 */
export function finalSnapshotIdentifier(identifier: string): string {
  return `${identifier}-final-\${formatdate("YYYYMMDDhhmmss", plantimestamp())}`;
}

/** The attribute that keeps its value from creation on. */
export const FINAL_SNAPSHOT_ATTRIBUTE = "final_snapshot_identifier";
