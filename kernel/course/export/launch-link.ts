// The optional "open in JupyterLab/JupyterHub" link of a course, from a URL template in course.json.

/**
 * `"launch": { "label": "Open in JupyterHub", "url": "https://hub.example.edu/hub/user-redirect/lab/tree/course/{notebook}" }`
 * {notebook} is the lesson's file name (04-fetching.ipynb), {lesson} its name without .ipynb, {edition} the
 * edition of the page (student or instructor); each is URL-encoded.
 */
export interface LaunchLink {
  label: string;
  url: string;
}

const PLACEHOLDER = /\{(notebook|lesson|edition)\}/g;

/** The link from course.json's "launch" value, or an error message saying what is wrong with it. */
export function parseLaunchLink(value: unknown): LaunchLink | string | undefined {
  if (value === undefined) return undefined;
  const link = value as { label?: unknown; url?: unknown };
  if (typeof link !== "object" || link === null || typeof link.url !== "string") return `"launch" needs a "url" template`;
  // Only web links: a javascript: or data: URL in a course file must never become a link on every page.
  if (!/^https?:\/\/[^\s"<>]+$/i.test(link.url)) return `"launch.url" must be an http(s) URL without spaces, not ${JSON.stringify(link.url)}`;
  const label = typeof link.label === "string" && link.label.trim() ? link.label.trim() : "Open in JupyterHub";
  return { label, url: link.url };
}

/** The template filled in for one lesson page. */
export function launchUrl(link: LaunchLink, lesson: string, edition: string): string {
  const values: Record<string, string> = { notebook: `${lesson}.ipynb`, lesson, edition };
  return link.url.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(values[name]));
}
