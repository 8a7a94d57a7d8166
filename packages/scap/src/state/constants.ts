/**
 * libs constants the state machine needs (driver/ppm_events_public.h, libscap/scap.h,
 * libsinsp/fdinfo.h), and the event codes it dispatches on, resolved by enum name from the
 * event table.
 */
import { codeOf } from "../event-table.js";

/** `scap_fd_type`. */
export const FdType = {
  UNINITIALIZED: -1,
  UNKNOWN: 0,
  FILE: 1,
  DIRECTORY: 2,
  IPV4_SOCK: 3,
  IPV6_SOCK: 4,
  IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6,
  FIFO: 7,
  UNIX_SOCK: 8,
  EVENT: 9,
  UNSUPPORTED: 10,
  SIGNALFD: 11,
  EVENTPOLL: 12,
  INOTIFY: 13,
  TIMERFD: 14,
  NETLINK: 15,
  FILE_V2: 16,
  BPF: 17,
  USERFAULTFD: 18,
  IOURING: 19,
  MEMFD: 20,
  PIDFD: 21,
} as const;

/** `scap_l4_proto`. */
export const L4Proto = { UNKNOWN: 0, NA: 1, TCP: 2, UDP: 3, ICMP: 4, RAW: 5 } as const;

/** `sinsp_fdinfo` flags. */
export const FdFlag = {
  FROM_PROC: 1 << 0,
  ROLE_CLIENT: 1 << 2,
  ROLE_SERVER: 1 << 3,
  IS_SOCKET_PIPE: 1 << 6,
  SOCKET_CONNECTED: 1 << 13,
  IS_CLONED: 1 << 14,
  CONNECTION_PENDING: 1 << 15,
  CONNECTION_FAILED: 1 << 16,
  OVERLAY_UPPER: 1 << 17,
  OVERLAY_LOWER: 1 << 18,
} as const;

/** `PPM_CL_*` (the thread flags, partly the clone flags param). */
export const CL = {
  CLONE_FILES: 1 << 0,
  CLONE_FS: 1 << 1,
  CLONE_NEWPID: 1 << 6,
  CLONE_PARENT: 1 << 8,
  CLONE_THREAD: 1 << 13,
  CLONE_INVERTED: 1 << 16,
  NAME_CHANGED: 1 << 17,
  CLOSED: 1 << 18,
  ACTIVE: 1 << 19,
  CLONE_NEWUSER: 1 << 20,
  PIPE_SRC: 1 << 21,
  PIPE_DST: 1 << 22,
  CLONE_VFORK: 1 << 27,
  CHILD_IN_PIDNS: 1 << 29,
  IS_MAIN_THREAD: 1 << 30,
} as const;

/** `PPM_O_*` open flags (and the overlay bits libs stores with them). */
export const O = {
  RDONLY: 1 << 0,
  WRONLY: 1 << 1,
  CREAT: 1 << 2,
  DIRECTORY: 1 << 10,
  CLOEXEC: 1 << 12,
  TMPFILE: 1 << 13,
  F_CREATED: 1 << 14,
  FD_UPPER_LAYER: 1 << 15,
  FD_LOWER_LAYER: 1 << 16,
} as const;

export const FD_UPPER_LAYER_CREAT = 1 << 0;
export const FD_LOWER_LAYER_CREAT = 1 << 1;
export const EPOLL_CLOEXEC = 1 << 0;
export const MFD_CLOEXEC = 1 << 0;
export const CLOSE_RANGE_CLOEXEC = 1 << 2;
export const EXVAT_AT_EMPTY_PATH = 1 << 0;
export const EXE_WRITABLE = 1 << 0;
export const EXE_UPPER_LAYER = 1 << 1;
export const EXE_FROM_MEMFD = 1 << 2;
export const EXE_LOWER_LAYER = 1 << 3;
export const FCNTL_F_DUPFD = 1;
export const FCNTL_F_SETFD = 3;
export const FCNTL_F_DUPFD_CLOEXEC = 26;
export const FD_CLOEXEC = 1;
export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_GET_CHILD_SUBREAPER = 37;
export const RLIMIT_NOFILE = 7;
export const AT_FDCWD = -100n;
export const SE_EINPROGRESS = 115n;
/** Linux `CAP_LAST_CAP`-wide mask (`sinsp_utils::get_max_caps`): 41 capabilities. */
export const MAX_CAPS = (1n << 41n) - 1n;

/** `PPM_AF_*` socket families. */
export const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17 } as const;
/** Linux socket types and protocols used by `add_socket`. */
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_RAW = 255;

/** `CLONE_STALE_TIME_NS`: a clone child entry younger than this is the caller's. */
export const CLONE_STALE_TIME_NS = 2_000_000_000n;
export const UINT32_MAX = 0xffffffff;
/** `SCAP_MAX_PATH_SIZE`. */
export const MAX_PATH_SIZE = 1024;

/** Event codes, by their libs enum names. */
export const E = {
  GENERIC_X: codeOf("PPME_GENERIC_X"),
  OPEN_E: codeOf("PPME_SYSCALL_OPEN_E"),
  OPEN_X: codeOf("PPME_SYSCALL_OPEN_X"),
  CREAT_E: codeOf("PPME_SYSCALL_CREAT_E"),
  CREAT_X: codeOf("PPME_SYSCALL_CREAT_X"),
  OPENAT_2_E: codeOf("PPME_SYSCALL_OPENAT_2_E"),
  OPENAT_2_X: codeOf("PPME_SYSCALL_OPENAT_2_X"),
  OPENAT2_E: codeOf("PPME_SYSCALL_OPENAT2_E"),
  OPENAT2_X: codeOf("PPME_SYSCALL_OPENAT2_X"),
  OPEN_BY_HANDLE_AT_X: codeOf("PPME_SYSCALL_OPEN_BY_HANDLE_AT_X"),
  EXECVE_19_E: codeOf("PPME_SYSCALL_EXECVE_19_E"),
  EXECVE_19_X: codeOf("PPME_SYSCALL_EXECVE_19_X"),
  EXECVEAT_E: codeOf("PPME_SYSCALL_EXECVEAT_E"),
  EXECVEAT_X: codeOf("PPME_SYSCALL_EXECVEAT_X"),
  CONNECT_E: codeOf("PPME_SOCKET_CONNECT_E"),
  CONNECT_X: codeOf("PPME_SOCKET_CONNECT_X"),
  CLONE_20_X: codeOf("PPME_SYSCALL_CLONE_20_X"),
  FORK_20_X: codeOf("PPME_SYSCALL_FORK_20_X"),
  VFORK_20_X: codeOf("PPME_SYSCALL_VFORK_20_X"),
  CLONE3_X: codeOf("PPME_SYSCALL_CLONE3_X"),
  PROCEXIT_1_E: codeOf("PPME_PROCEXIT_1_E"),
  SCHEDSWITCH_6_E: codeOf("PPME_SCHEDSWITCH_6_E"),
  PROCINFO_E: codeOf("PPME_PROCINFO_E"),
  READ_X: codeOf("PPME_SYSCALL_READ_X"),
  READV_X: codeOf("PPME_SYSCALL_READV_X"),
  PREAD_X: codeOf("PPME_SYSCALL_PREAD_X"),
  PREADV_X: codeOf("PPME_SYSCALL_PREADV_X"),
  RECV_X: codeOf("PPME_SOCKET_RECV_X"),
  RECVFROM_X: codeOf("PPME_SOCKET_RECVFROM_X"),
  RECVMSG_X: codeOf("PPME_SOCKET_RECVMSG_X"),
  RECVMMSG_X: codeOf("PPME_SOCKET_RECVMMSG_X"),
  WRITE_X: codeOf("PPME_SYSCALL_WRITE_X"),
  WRITEV_X: codeOf("PPME_SYSCALL_WRITEV_X"),
  PWRITE_X: codeOf("PPME_SYSCALL_PWRITE_X"),
  PWRITEV_X: codeOf("PPME_SYSCALL_PWRITEV_X"),
  SEND_X: codeOf("PPME_SOCKET_SEND_X"),
  SENDTO_X: codeOf("PPME_SOCKET_SENDTO_X"),
  SENDMSG_X: codeOf("PPME_SOCKET_SENDMSG_X"),
  SENDMMSG_X: codeOf("PPME_SOCKET_SENDMMSG_X"),
  UNSHARE_X: codeOf("PPME_SYSCALL_UNSHARE_X"),
  SETNS_X: codeOf("PPME_SYSCALL_SETNS_X"),
  MEMFD_CREATE_X: codeOf("PPME_SYSCALL_MEMFD_CREATE_X"),
  PIDFD_OPEN_X: codeOf("PPME_SYSCALL_PIDFD_OPEN_X"),
  PIDFD_GETFD_X: codeOf("PPME_SYSCALL_PIDFD_GETFD_X"),
  PIPE_X: codeOf("PPME_SYSCALL_PIPE_X"),
  PIPE2_X: codeOf("PPME_SYSCALL_PIPE2_X"),
  SOCKET_X: codeOf("PPME_SOCKET_SOCKET_X"),
  BIND_X: codeOf("PPME_SOCKET_BIND_X"),
  ACCEPT_5_X: codeOf("PPME_SOCKET_ACCEPT_5_X"),
  ACCEPT4_6_X: codeOf("PPME_SOCKET_ACCEPT4_6_X"),
  CLOSE_X: codeOf("PPME_SYSCALL_CLOSE_X"),
  CLOSE_RANGE_X: codeOf("PPME_SYSCALL_CLOSE_RANGE_X"),
  FCNTL_X: codeOf("PPME_SYSCALL_FCNTL_X"),
  EVENTFD_X: codeOf("PPME_SYSCALL_EVENTFD_X"),
  EVENTFD2_X: codeOf("PPME_SYSCALL_EVENTFD2_X"),
  CHDIR_X: codeOf("PPME_SYSCALL_CHDIR_X"),
  FCHDIR_X: codeOf("PPME_SYSCALL_FCHDIR_X"),
  GETCWD_X: codeOf("PPME_SYSCALL_GETCWD_X"),
  SHUTDOWN_X: codeOf("PPME_SOCKET_SHUTDOWN_X"),
  DUP_1_X: codeOf("PPME_SYSCALL_DUP_1_X"),
  DUP2_X: codeOf("PPME_SYSCALL_DUP2_X"),
  DUP3_X: codeOf("PPME_SYSCALL_DUP3_X"),
  SIGNALFD_X: codeOf("PPME_SYSCALL_SIGNALFD_X"),
  SIGNALFD4_X: codeOf("PPME_SYSCALL_SIGNALFD4_X"),
  TIMERFD_CREATE_X: codeOf("PPME_SYSCALL_TIMERFD_CREATE_X"),
  INOTIFY_INIT_X: codeOf("PPME_SYSCALL_INOTIFY_INIT_X"),
  INOTIFY_INIT1_X: codeOf("PPME_SYSCALL_INOTIFY_INIT1_X"),
  BPF_2_X: codeOf("PPME_SYSCALL_BPF_2_X"),
  USERFAULTFD_X: codeOf("PPME_SYSCALL_USERFAULTFD_X"),
  IO_URING_SETUP_X: codeOf("PPME_SYSCALL_IO_URING_SETUP_X"),
  EPOLL_CREATE_X: codeOf("PPME_SYSCALL_EPOLL_CREATE_X"),
  EPOLL_CREATE1_X: codeOf("PPME_SYSCALL_EPOLL_CREATE1_X"),
  GETRLIMIT_X: codeOf("PPME_SYSCALL_GETRLIMIT_X"),
  SETRLIMIT_X: codeOf("PPME_SYSCALL_SETRLIMIT_X"),
  PRLIMIT_X: codeOf("PPME_SYSCALL_PRLIMIT_X"),
  SOCKETPAIR_X: codeOf("PPME_SOCKET_SOCKETPAIR_X"),
  BRK_4_X: codeOf("PPME_SYSCALL_BRK_4_X"),
  MMAP_X: codeOf("PPME_SYSCALL_MMAP_X"),
  MMAP2_X: codeOf("PPME_SYSCALL_MMAP2_X"),
  MUNMAP_X: codeOf("PPME_SYSCALL_MUNMAP_X"),
  SETRESUID_X: codeOf("PPME_SYSCALL_SETRESUID_X"),
  SETREUID_X: codeOf("PPME_SYSCALL_SETREUID_X"),
  SETRESGID_X: codeOf("PPME_SYSCALL_SETRESGID_X"),
  SETREGID_X: codeOf("PPME_SYSCALL_SETREGID_X"),
  SETUID_X: codeOf("PPME_SYSCALL_SETUID_X"),
  SETGID_X: codeOf("PPME_SYSCALL_SETGID_X"),
  CHROOT_X: codeOf("PPME_SYSCALL_CHROOT_X"),
  SETSID_X: codeOf("PPME_SYSCALL_SETSID_X"),
  CAPSET_X: codeOf("PPME_SYSCALL_CAPSET_X"),
  PRCTL_X: codeOf("PPME_SYSCALL_PRCTL_X"),
  USER_ADDED_E: codeOf("PPME_USER_ADDED_E"),
  USER_DELETED_E: codeOf("PPME_USER_DELETED_E"),
  GROUP_ADDED_E: codeOf("PPME_GROUP_ADDED_E"),
  GROUP_DELETED_E: codeOf("PPME_GROUP_DELETED_E"),
  CONTAINER_E: codeOf("PPME_CONTAINER_E"),
  CONTAINER_JSON_E: codeOf("PPME_CONTAINER_JSON_E"),
  CONTAINER_JSON_2_E: codeOf("PPME_CONTAINER_JSON_2_E"),
  ASYNCEVENT_E: codeOf("PPME_ASYNCEVENT_E"),
  PLUGINEVENT_E: codeOf("PPME_PLUGINEVENT_E"),
  EXECVE_16_X: codeOf("PPME_SYSCALL_EXECVE_16_X"),
  EXECVE_17_X: codeOf("PPME_SYSCALL_EXECVE_17_X"),
  EXECVE_18_X: codeOf("PPME_SYSCALL_EXECVE_18_X"),
  POLL_X: codeOf("PPME_SYSCALL_POLL_X"),
  PPOLL_X: codeOf("PPME_SYSCALL_PPOLL_X"),
} as const;

/** `ppm_event_category` bits used here. */
export const EC = {
  IO_BASE: 32,
  SYSCALL: 512,
  TRACEPOINT: 1024,
  PLUGIN: 2048,
  METAEVENT: 4096,
} as const;

/** `ppm_event_flags` bits used here. */
export const EF = {
  CREATES_FD: 1,
  DESTROYS_FD: 2,
  USES_FD: 4,
  READS_FROM_FD: 8,
  WRITES_TO_FD: 16,
  MODIFIES_STATE: 32,
  WAITS: 128,
  SKIPPARSERESET: 256,
} as const;

/** `SCAP_DF_STATE_ONLY`: an EVF dump flag, the event only rebuilds state. */
export const DF_STATE_ONLY = 1;
