export * from "./cluster";
export * from "./node-group";
