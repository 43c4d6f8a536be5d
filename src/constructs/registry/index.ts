export * from "./repository";
