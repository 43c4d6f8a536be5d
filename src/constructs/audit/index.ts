export * from "./trail";
export * from "./alarms";
