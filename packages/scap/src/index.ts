export type { ParamType, SockAddr, SockTuple, ParamValue, ScapEvent } from "./event.js";
