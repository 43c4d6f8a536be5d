export * from "./errors";
export * from "./environments";
export * from "./network-config";
export * from "./overrides";
export * from "./regions";
export * from "./resolve";
export * from "./selection";
export * from "./system-config";
