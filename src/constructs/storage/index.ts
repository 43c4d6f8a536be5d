export * from "./secure-bucket";
export * from "./dynamodb-table";
