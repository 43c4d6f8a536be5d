export * from "./contract";
export * from "./flow";
export * from "./principal";
export * from "./refresh";
export * from "./secret-ref";
