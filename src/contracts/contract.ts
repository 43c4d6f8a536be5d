import { Flow } from "./flow";
import { PrincipalRef } from "./principal";

/** An AWS managed policy a principal keeps, and why (the rung does not count it against least privilege). */
export interface ManagedPolicyUse {
  /** The policy name, e.g. `AmazonSSMManagedInstanceCore`. */
  readonly name: string;
  readonly why: string;
}

/**
 * A vendor's published IAM policy, granted as published (e.g. the AWS Load Balancer
 * Controller's). The rung validates it against AWS's service authorization reference, but does
 * not require each of its grants to be needed by a flow: the vendor's software, not the
 * contract, decides what it calls.
 */
export interface PublishedPolicy {
  readonly name: string;
  /** Where it is published. */
  readonly source: string;
}

/** What one principal's running software needs. */
export interface PrincipalContract {
  readonly principal: PrincipalRef;
  readonly flows: readonly Flow[];
  readonly managedPolicies?: readonly ManagedPolicyUse[];
  readonly publishedPolicy?: PublishedPolicy;
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
