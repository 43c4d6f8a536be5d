export * from "./foreign-state";
