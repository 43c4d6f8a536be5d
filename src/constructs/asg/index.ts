export * from "./app-service";
export * from "./arns";
export * from "./fleet";
export * from "./scaling";
export * from "./user-data";
