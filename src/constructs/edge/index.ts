export * from "./alias-record";
export * from "./certificate";
export * from "./distribution";
export * from "./health-check";
export * from "./hosted-zone";
export * from "./managed-policies";
export * from "./origin-access-control";
