/**
 * Field values as the evaluator handles them. The contract between the field extractors (per
 * source) and the operators.
 *
 * Representation by field type (`FieldType` of @falcokit/fields):
 * - CHARBUF, FSPATH, FSRELPATH: `string`
 * - every integer type (INT8..INT64, UINT8..UINT64, RELTIME, ABSTIME, PID, FD, ERRNO, PORT,
 *   L4PROTO, SOCKFAMILY, MODE, FLAGS*, UID, GID, SYSCALLID, SIGTYPE, ENUMFLAGS*): `bigint`
 * - BOOL: `boolean`; DOUBLE: `number`
 * - BYTEBUF: `Uint8Array`
 * - IPADDR, IPV4ADDR, IPV6ADDR: `Uint8Array` of 4 or 16 bytes
 * - IPNET, IPV4NET, IPV6NET fields (`fd.net`, `fd.snet`...): the address, a `Uint8Array`, as libs
 *   extracts it (the constants they are compared with are networks, `NetValue`)
 * A list field gives an array of those.
 */

export interface NetValue {
  readonly net: Uint8Array;
  readonly prefix: number;
}

export type Scalar = string | bigint | number | boolean | Uint8Array | NetValue;

/** What a field gives for one event: `undefined` when it cannot be read (every check is then false). */
export type Extracted = Scalar | readonly Scalar[] | undefined;
