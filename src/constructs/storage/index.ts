export * from "./secure-bucket";
export * from "./dynamodb-table";
export * from "./message-queue";
