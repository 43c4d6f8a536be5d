export * from "./cluster";
export * from "./node-group";
export * from "./pod-identity-role";
export * from "./load-balancer-controller";
export * from "./container-logs";
