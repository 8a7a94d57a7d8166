import { existsSync, readdirSync } from "node:fs";
import { SHARED } from "./harness.js";

export const CORPUS = `${SHARED}corpus/rules/`;

/**
 * Every upstream and plugins rules file of the corpus, in groups loaded together as a Falco
 * set-up would: a release's files after its falco_rules.yaml; plugin files alone (GKE's after
 * the k8saudit rules it extends).
 */
export function corpusGroups(): { name: string; files: string[] }[] {
  const out: { name: string; files: string[] }[] = [];
  for (const release of readdirSync(`${CORPUS}upstream`).sort()) {
    const dir = `${CORPUS}upstream/${release}/`;
    const files = ["rules", "archive"].flatMap((sub) => (existsSync(dir + sub) ? readdirSync(dir + sub).filter((f) => f.endsWith(".yaml")).sort().map((f) => `${dir}${sub}/${f}`) : []));
    if (files.length === 0) continue;
    files.sort((a, b) => Number(!a.endsWith("/falco_rules.yaml")) - Number(!b.endsWith("/falco_rules.yaml")));
    out.push({ name: `upstream/${release}`, files });
  }
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${d}/${e.name}`) : e.name.endsWith(".yaml") ? [`${d}/${e.name}`] : []));
  for (const f of walk(`${CORPUS}plugins`).sort()) {
    const files = f.includes("/k8saudit-gke/k8s_audit_rules_gke") ? [`${CORPUS}plugins/k8saudit/k8s_audit_rules.yaml`, f] : [f];
    out.push({ name: f.slice(CORPUS.length), files });
  }
  return out;
}
