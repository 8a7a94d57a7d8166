/** libsinsp's thread/fd state machine over capture events (see inspector.ts). */
export { Inspector, parseDirfd, sockaddrToString, socktupleToString } from "./inspector.js";
export type { EventContext, InspectorOptions } from "./inspector.js";
export { ThreadInfo, ThreadGroup } from "./threadinfo.js";
export { ThreadManager } from "./thread-manager.js";
export { FdInfo, FdTable, sockinfoToString, ipv4TupleToString, ipv6TupleToString, ipv4ServerToString, ipv6ServerToString } from "./fdinfo.js";
export { UserGroupManager } from "./users.js";
export type { UserInfo, GroupInfo } from "./users.js";
export { NetworkInterfaces } from "./interfaces.js";
export { ContainerManager, ContainerType, containerTypeName, containerFromJson, hostContainer } from "./containers.js";
export type { ContainerInfo, ContainerMount } from "./containers.js";
export { concatenatePaths } from "./paths.js";
export { ipv4ToString, ipv6ToString, isIpv4MappedIpv6 } from "./inet.js";
export * as eventParams from "./params.js";
export { FdType, L4Proto, FdFlag, CL as ThreadFlag, O as OpenFlag, E as EventCode, EF as EventFlagBits, EC as EventCategoryBits, AT_FDCWD } from "./constants.js";
export { buildEvent, nulJoin, toParamValue } from "./build-event.js";
export type { EventSpec, ParamInput } from "./build-event.js";
export type { ProcessEntry, FdEntry, UserList, InterfaceList, MachineInfo } from "./metadata.js";
