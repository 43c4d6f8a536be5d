export * from "./service-role";
export * from "./existing-role";
