export * from "./web-acl";
