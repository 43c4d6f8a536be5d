export * from "./application-load-balancer";
export * from "./elb-log-delivery";
export * from "./load-balancer";
export * from "./target-group";
export * from "./load-balancer-security";
