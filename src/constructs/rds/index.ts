export * from "./engines";
export * from "./database";
