// Small HTML helpers shared by the renderers.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** A tagged template whose interpolations are escaped unless wrapped in `raw()`. */
export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export function raw(html: string): Raw {
  return new Raw(html);
}

type Part = string | number | Raw | undefined | null | false | readonly Part[];

function partHtml(part: Part): string {
  if (part === undefined || part === null || part === false) return "";
  if (part instanceof Raw) return part.html;
  if (Array.isArray(part)) return part.map(partHtml).join("");
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Raw {
  let out = strings[0];
  for (let i = 0; i < parts.length; i++) out += partHtml(parts[i]) + strings[i + 1];
  return new Raw(out);
}
