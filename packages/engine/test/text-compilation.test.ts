import { describe, expect, it } from "vitest";
import { parseRulesFile } from "@falcokit/rules-model";
import { TrackedText, resolveList, quoteItem } from "../src/index.js";
import { applyExceptions } from "../src/exceptions.js";
import type { ExceptionInfo } from "../src/collector.js";

/* Falco's textual steps, with expectations written by hand from the spec (§6, §7). */

const text = (s: string) => TrackedText.synthetic(s, "f.yaml", { start: 0, end: s.length });
const list = (name: string, items: string[]) => ({ name, items, used: false });

describe("list substitution", () => {
  it.each([
    ["proc.name in (shells)", ["bash", "sh"], "proc.name in ( bash, sh )"],
    ["proc.name in (shells, zsh)", ["bash"], "proc.name in ( bash , zsh)"],
    ["proc.name=shells", ["bash"], "proc.name= bash "],
    ["proc.name in (myshells)", ["bash"], "proc.name in (myshells)"],
    ['fd.name = "a shells b"', ["x"], 'fd.name = "a x b"'],
    ["proc.name in (shells)", [], "proc.name in (  )"],
    ["proc.name in (a, shells)", [], "proc.name in (a  )"],
    ["proc.name in (shells)", ["two words"], 'proc.name in ( "two words" )'],
  ])("%s with %j", (cond, items, expected) => {
    const r = resolveList(text(cond), list("shells", items));
    expect(r.text.text).toBe(expected);
    expect(r.used).toBe(cond !== "proc.name in (myshells)");
  });

  it("quotes an item only when it has a space and no quote", () => {
    expect([quoteItem("a b"), quoteItem('"a b"'), quoteItem("'a b'"), quoteItem("ab")]).toEqual(['"a b"', '"a b"', "'a b'", "ab"]);
  });

  it("keeps track of where substituted text came from", () => {
    const file = parseRulesFile("- macro: m\n  condition: proc.name in (shells) and x\n");
    const cond = file.items[0]!.kind === "macro" ? file.items[0].condition! : undefined;
    const tracked = TrackedText.fromScalar("f.yaml", cond!);
    const r = resolveList(tracked, list("shells", ["bash", "sh"]));
    const at = r.text.text.indexOf("and x");
    expect(r.text.locate({ start: at, end: at + 3 })).toEqual({ file: "f.yaml", range: { start: 46, end: 49 } });
  });
});

describe("exceptions", () => {
  const ex = (fields: string | string[], comps: string | string[] | undefined, values: (string | string[])[][] | string[]): ExceptionInfo => ({
    name: "e",
    fields: Array.isArray(fields) ? { valid: true, isList: true, item: "", items: fields } : { valid: true, isList: false, item: fields, items: [] },
    comps:
      comps === undefined
        ? Array.isArray(fields)
          ? { valid: true, isList: true, item: "", items: fields.map(() => "=") }
          : { valid: true, isList: false, item: "in", items: [] }
        : Array.isArray(comps)
          ? { valid: true, isList: true, item: "", items: comps }
          : { valid: true, isList: false, item: comps, items: [] },
    values: (values as unknown[]).map((v) =>
      Array.isArray(v)
        ? { isList: true, item: "", items: v.map((x) => (Array.isArray(x) ? { isList: true, item: "", items: x.map((y) => ({ isList: false, item: y, items: [] })) } : { isList: false, item: x as string, items: [] })) }
        : { isList: false, item: v as string, items: [] },
    ),
    where: { file: "f.yaml", range: { start: 0, end: 0 }, locations: [] },
  });

  it("builds the tuple form with Falco's spacing", () => {
    const fields = new Set<string>();
    const out = applyExceptions(text("evt.type=open"), [ex(["proc.name", "fd.name"], ["=", "in"], [["cat", ["/a", "/b"]], ["dog", "my_list"]])], fields);
    expect(out.text).toBe("(evt.type=open) and not (( proc.name = cat and  fd.name in (/a, /b)) or ( proc.name = dog and  fd.name in (my_list)))");
    expect([...fields]).toEqual(["proc.name", "fd.name"]);
  });

  it("builds the single-field form and quotes values with spaces", () => {
    const out = applyExceptions(text("a"), [ex("proc.name", undefined, ["cat", "big dog"])], new Set());
    expect(out.text).toBe('(a) and not (proc.name in (cat, "big dog"))');
  });

  it("adds nothing for an exception without values", () => {
    expect(applyExceptions(text("a"), [ex("proc.name", undefined, [])], new Set()).text).toBe("(a)");
  });
});
