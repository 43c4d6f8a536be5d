import { Flow } from "./flow";
import { PrincipalRef } from "./principal";

/** An AWS managed policy a principal keeps, and why (the rung does not count it against least privilege). */
export interface ManagedPolicyUse {
  /** The policy name, e.g. `AmazonSSMManagedInstanceCore`. */
  readonly name: string;
  readonly why: string;
}

/** What one principal's running software needs. */
export interface PrincipalContract {
  readonly principal: PrincipalRef;
  readonly flows: readonly Flow[];
  readonly managedPolicies?: readonly ManagedPolicyUse[];
}

/**
 * Something the system uses that no stack creates: the user provides it. The rung accepts a
 * name that no stack creates only when it is declared here.
 */
export interface ExternalResource {
  readonly kind: "secret" | "kubernetes-secret" | "repository" | "log-group" | "certificate";
  readonly name: string;
  /** Who creates it and how. */
  readonly why: string;
}

/**
 * A system's runtime contract: what its running software needs, per principal, as its
 * document describes it. Declared next to the system's preset; proven by the contract rung
 * against the synthesized stacks (docs/contracts.md).
 */
export interface SystemContract {
  readonly principals: readonly PrincipalContract[];
  readonly external?: readonly ExternalResource[];
}
