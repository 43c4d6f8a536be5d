export * from "./network";
export * from "./flow-log";
export * from "./security-group";
