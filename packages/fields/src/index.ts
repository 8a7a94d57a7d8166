export {};
export * from "./events.js";
