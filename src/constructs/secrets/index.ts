export * from "./secret-store";
