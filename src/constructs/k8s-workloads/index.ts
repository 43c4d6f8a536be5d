export * from "./app";
export * from "./hpa";
export * from "./workloads";
