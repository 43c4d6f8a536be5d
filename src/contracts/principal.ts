/**
 * Who, in a running system, calls AWS or opens a connection: the identity a contract's
 * flows belong to. Principals are named by meaning, never by resource address; the rung
 * finds the role and the security groups behind each one in the synthesized stacks.
 */
export type PrincipalRef =
  /** The instance role and security group of a compute service (`compute.services.<service>`). */
  | { readonly kind: "instance"; readonly service: string }
  /** The AWS identity (EKS Pod Identity or IRSA) of a workload's service account (`workloads.apps.<app>`). */
  | { readonly kind: "pod"; readonly app: string }
  /** The EKS node role: the kubelet pulls every pod's image with it. */
  | { readonly kind: "eks-node" }
  /** The AWS identity of a Kubernetes service account the project does not deploy pods for (an add-on's controller). */
  | { readonly kind: "service-account"; readonly namespace: string; readonly name: string };

/** A principal's readable name in findings: `instance app`, `pod api`, `eks-node`. */
export function principalName(principal: PrincipalRef): string {
  switch (principal.kind) {
    case "instance":
      return `instance ${principal.service}`;
    case "pod":
      return `pod ${principal.app}`;
    case "eks-node":
      return "eks-node";
    case "service-account":
      return `service account ${principal.namespace}/${principal.name}`;
  }
}
