export * from "./service-role";
export * from "./existing-role";
export * from "./granted-statements";
