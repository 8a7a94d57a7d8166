// The WHATWG encoding API, present in Node and in browsers. The workspace compiles pure
// packages without DOM or Node typings, so the little that is used is declared here.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
