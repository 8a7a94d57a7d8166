/**
 * `${NAME}` and `${NAME:-default}` in tag values, so one command line serves every cluster:
 * `--add 'env:${ENV}'`. `$$` writes a dollar sign.
 */
export class TemplateError extends Error {}

export function expandTemplate(template: string, lookup: (name: string) => string | undefined): string {
  return template.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_.-]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === "$$") return "$";
    if (name === undefined) throw new TemplateError(`'${whole}' in '${template}' is not a variable reference (write \${NAME} or \${NAME:-default})`);
    const value = lookup(name);
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    throw new TemplateError(`'${template}' uses \${${name}}, which is not set (set it in the environment, a --values file or --set ${name}=...)`);
  });
}
