import { describe, expect, it } from "vitest";
import { parseCondition, type Node } from "@falcokit/condition";
import { defaultCatalogs } from "@falcokit/fields";
import { compileFilter, type CompileOptions } from "../src/compile.js";

/*
 * Exact compiler messages, as libs 0.25.4 words them (from its sources: filter.cpp,
 * sinsp_filtercheck*.cpp, filter_compare.cpp, value_parser.cpp, the transformers), for the
 * syscall source with the container plugin and for k8s_audit.
 */

const catalogs = defaultCatalogs();

function compile(condition: string, source = "syscall", options: CompileOptions = {}) {
  const parsed = parseCondition(condition);
  expect(parsed.errors, condition).toEqual([]);
  return compileFilter(parsed.ast!, catalogs.get(source)!, options);
}

const error = (condition: string, source?: string) => compile(condition, source).error?.message;
const warnings = (condition: string, source?: string) => compile(condition, source).warnings.map((w) => w.message);

describe("errors", () => {
  const cases: [string, string | undefined][] = [
    // fields
    ["proc.nme = x", "filter_check called with nonexistent field proc.nme"],
    ["proc.aname[x] = bash", "filter_check called with nonexistent field proc.aname[x]"],
    ["proc.aname[2] = bash", undefined],
    ["evt.arg.nosuch = 1", "unknown event argument nosuch"],
    ["evt.arg = 1", "filter syntax error: evt.arg"],
    ["evt.rawarg[1] = 1", "evt.arg fields must be expressed explicitly"],
    ["container.label = x", "filter 'container.label': container.label requires an argument but none provided"],
    ["container.label[app] = nginx", undefined],
    // operators against types
    ["proc.pid contains 1", "filter error: 'contains' operator not supported for numeric filters"],
    ["proc.pid == 1", undefined],
    ["evt.is_io < 1", "filter error: '<' operator not supported for numeric filters"],
    ["proc.name bcontains 00", "filter error: 'bcontains' operator not supported for string filters"],
    ["evt.buffer regex '.*'", "filter error: 'regex' operator not supported for buffer filters"],
    ["fd.ip contains 1", "filter error: 'contains' operator not supported for ip address and network filters"],
    ["fd.ip contains anyof (1)", "filter error: 'contains' with modifier not supported for ip address and network filters"],
    ["fd.types = file", "filter error: '=' operator not supported list filters"],
    ["fd.types == anyof (file)", "filter error: '=' operator not supported list filters"],
    ["fd.types in (file)", undefined],
    ["fd.types intersects (file, ipv4)", undefined],
    ["evt.rawarg.addr = x", "filter error: '=' operator not supported for type 'SOCKADDR'"],
    ["evt.type exists", undefined],
    // values
    ["proc.pid = 0x10", "0x10 is not a valid number"],
    ["proc.pid = 1.5", "1.5 is not a valid number"],
    ["thread.cpu = 1.0", "1.0 is not a valid number"],
    ["evt.is_io = yes", "filter error: unrecognized boolean value yes"],
    ["fd.sport = http", undefined],
    ["fd.sport = nosuchservice", "unrecognized protocol nosuchservice"],
    ["fd.sip = 1.2.3", "unrecognized IPv4 address 1.2.3"],
    ["fd.sip = fe80::zz", "unrecognized IPv6 address fe80::zz"],
    ["fd.net = 10.0.0.0/33", "invalid netmask 33"],
    ["fd.net = 10.0.0.0", "unrecognized IP network 10.0.0.0"],
    ["fd.net in (10.0.0.0/8, 192.168.0.0/16)", undefined],
    ["evt.type = opn", "unknown event type opn"],
    ["evt.type in (open, opn)", "unknown event type opn"],
    ["evt.type = container", undefined],
    ["evt.type = container_removed", undefined],
    ["tolower(evt.type) = OPEN", "unknown event type OPEN"],
    ["syscall.type = opn", undefined],
    ["evt.buffer bcontains 4g", "filter error: bcontains and bstartswith operator support hex strings only"],
    ["evt.buffer bcontains 414", "filter error: bcontains and bstartswith operator support hex strings only"],
    ["evt.buffer bstartswith 4142", undefined],
    ["proc.name regex '(abc'", "invalid regex pattern: missing ): (abc"],
    ["proc.name regex '\\\\d+'", "invalid regex pattern: invalid escape sequence: \\d"],
    ["proc.name regex anyof ('a+', '[b')", "invalid regex pattern: missing ]: [b"],
    ["evt.around[1404996934793590564] = 1000", undefined],
    ["evt.around[1404996934793590564] > 1000", "evt.around supports only '=' comparison operator"],
    // transformers
    ["toupper(proc.name) = BASH", undefined],
    ["toupper(proc.pid) = 1", "can't add field transformer: type 'INT64' is not supported by 'toupper' transformer applied on field 'proc.pid'"],
    ["b64(fd.types) in (x)", undefined],
    ["toupper(evt.rawarg.res) = 1", "field 'evt.rawarg' does not support transformers"],
    ["toupper(proc.name)[x] = foo", "filter error: transformer 'toupper' does not support field arguments"],
    ["len(proc.name) > 3", undefined],
    ["len(proc.name) = abc", "abc is not a valid number"],
    ["len(fd.types) > 2", undefined],
    ["len(fd.types) contains 2", "filter error: 'contains' operator not supported for numeric filters"],
    ["len(len(proc.name)) > 1", "can't add field transformer: type 'UINT64' is not supported by 'len' transformer applied on field 'proc.name'"],
    ["join(',', (proc.name, proc.pname)) = a", undefined],
    ["join(proc.name) = a", "unknown field transfomer 'join'"],
    ["join(',', proc.name) = a", "join() second argument must be a list"],
    ["join(fd.types, fd.types) = a", "join() first argument (separator) must be a single value, not a list"],
    ["join(',', fd.types, fd.types) = a", "join() requires exactly 2 arguments: separator and list"],
    ["join(',', fd.types)[x] = a", "transformer 'join' does not support field arguments"],
    ["concat(proc.name, '-', proc.pname) = a", undefined],
    ["concat(proc.name, proc.pid) = a", "concat() arguments must be strings"],
    ["concat(proc.name, fd.types) = a", "concat() arguments must be strings"],
    ["getopt(fd.types, 'ab:')[b] = x", undefined],
    ["getopt(fd.types, 'ab:') intersects (x)", undefined],
    ["getopt(fd.types, 'ab:') = x", "filter error: '=' operator not supported list filters"],
    ["getopt(fd.types, 'ab:')[bc] = x", "getopt() field argument must be a single option character"],
    ["getopt(proc.name, 'a') = x", "getopt() first argument must be a list"],
    ["tolower(proc.name, proc.pname) = x", "unknown multivalue transformer"],
    // right-hand fields
    ["proc.name = val(proc.pname)", undefined],
    ["proc.name = val(proc.pid)", "field 'proc.name' has type 'CHARBUF' while the right-hand side field 'proc.pid' has incompatible type 'INT64'"],
    ["fd.types in val(fd.types)", "field 'fd.types' doesn't support right-hand side fields"],
    ["proc.name in val(fd.types)", "field 'fd.types' can't be used as a right-hand side field"],
    ["proc.name = val(proc.pname)[x]", "filter error: transformer 'val' does not support field arguments"],
    ["proc.name pmatch val(proc.pname)", "operator 'PMATCH' doesn't support right-hand side fields"],
    ["proc.name regex val(proc.pname)", "operator 'REGEX' doesn't support right-hand side fields"],
    ["fd.net = val(fd.net)", "field type 'IPNET' doesn't support right-hand side fields"],
    ["proc.aname = val(proc.name)", "field 'proc.aname' doesn't support right-hand side fields"],
    ["proc.name = val(proc.aname)", "field 'proc.aname' can't be used as a right-hand side field"],
    ["proc.name = toupper(proc.pname)", undefined],
    ["len(proc.name) = len(proc.pname)", undefined],
    ["len(proc.name) = val(proc.pid)", "field 'proc.name' has type 'UINT64' while the right-hand side field 'proc.pid' has incompatible type 'INT64'"],
    // the first error wins, left to right
    ["proc.name = a and nosuch.field = 1 and proc.pid contains 1", "filter_check called with nonexistent field nosuch.field"],
  ];
  for (const [condition, want] of cases) it(condition, () => expect(error(condition)).toBe(want));

  it("k8s_audit source", () => {
    expect(error("ka.verb = create and ka.req.pod.containers.image[0] in (nginx)", "k8s_audit")).toBeUndefined();
    // an indexed list field is still a list field for libs
    expect(error("ka.req.pod.containers.image[0] startswith nginx", "k8s_audit")).toBe("filter error: 'startswith' operator not supported list filters");
    expect(error("ka.verb in val(ka.user.groups)", "k8s_audit")).toBe(
      "field 'ka.verb' has type 'CHARBUF' while the right-hand side field 'ka.user.groups' has incompatible type 'CHARBUF (list)'",
    );
    expect(error("ka.req.pod.containers.privileged intersects (true)", "k8s_audit")).toBeUndefined();
    expect(error("ka.uri.param = x", "k8s_audit")).toBe("filter 'ka.uri.param': ka.uri.param requires an argument but none provided");
    expect(error("ka.user.groups = x", "k8s_audit")).toBe("filter error: '=' operator not supported list filters");
    expect(error("proc.name = x", "k8s_audit")).toBe("filter_check called with nonexistent field proc.name");
    expect(error("jevt.value[/verb] = create", "k8s_audit")).toBeUndefined();
  });

  it("macro references are skipped unless asked for", () => {
    expect(compile("proc.name = x and my_macro").error).toBeUndefined();
    expect(compile("proc.name = x and my_macro", "syscall", { identifiers: "error" }).error?.message).toBe("filter error: unexpected identifier 'my_macro'");
  });
});

describe("warnings", () => {
  it("fields and transformers misused as values", () => {
    expect(warnings("proc.name = proc.pname")).toEqual(["'proc.pname' may be a valid field misused as a const string value"]);
    expect(warnings("proc.name in (bash, proc.pname, 'proc.aname[2]')")).toEqual([
      "'proc.pname' may be a valid field misused as a const string value",
      "'proc.aname[2]' may be a valid field misused as a const string value",
    ]);
    expect(warnings("proc.name = 'tolower( proc.pname )'")).toEqual(["'tolower( proc.pname )' may be a valid field transformer misused as a const string value"]);
    expect(warnings("proc.name = 'val(x)'")).toEqual(["'val(x)' may be a valid field transformer misused as a const string value"]);
    expect(warnings("proc.name = 'evt.arg.nosuch'")).toEqual([]);
    expect(warnings("proc.name = bash")).toEqual([]);
  });

  it("regexes that simpler operators could do", () => {
    const w = (re: string) => warnings(`proc.name regex '${re}'`);
    const msg = (re: string) => `regex check with '${re}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'`;
    for (const re of ["bash", "^bash$", ".*bash", "bash.+", ".?bash.?"]) expect(w(re)).toEqual([msg(re)]);
    for (const re of ["ba.h", "bash{2}", "ba[s]h", "b|a"]) expect(w(re)).toEqual([]);
  });

  it("warnings point at the value, errors at the offending node and the check", () => {
    const r = compile("proc.name = proc.pname and fd.nme = x");
    expect(r.warnings[0]!.node.type).toBe("value");
    expect(r.error!.node.type).toBe("field");
    expect((r.error!.libsNode as Node).type).toBe("binary_check");
  });
});
