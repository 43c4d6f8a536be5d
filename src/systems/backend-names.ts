import { EnvironmentName } from "../config/environments";

/** The names of a containerized backend's image repository and settings secret. */
export interface BackendNames {
  readonly repository: string;
  readonly secretPrefix: string;
  readonly secret: string;
}

/**
 * A documented backend's names: in prod the document's own (`<system>-backend`,
 * `<system>/backend`); elsewhere `-<environment>` ones, so environments can share an account
 * (ECR repositories and secrets are unique per account and region) and prod's
 * prefix-scoped grants (`<system>/*`) never cover them.
 */
export function backendNames(system: string, environment: EnvironmentName): BackendNames {
  const base = environment === "prod" ? system : `${system}-${environment}`;
  return { repository: `${base}-backend`, secretPrefix: `${base}/`, secret: `${base}/backend` };
}
