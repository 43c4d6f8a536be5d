/**
 * A secret a flow reads, by meaning: a Secrets Manager secret by its name, or the secret
 * RDS creates and rotates for the database's master user (`manage_master_user_password`).
 */
export type SecretRef = { readonly name: string } | { readonly databaseMaster: true };

/** The secret's readable name in findings. */
export function secretRefName(secret: SecretRef): string {
  return "name" in secret ? secret.name : "the database's master secret";
}
