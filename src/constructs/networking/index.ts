export * from "./network";
export * from "./flow-log";
