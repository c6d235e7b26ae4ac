// The Content-Security-Policy every page we write carries: if the sanitizer ever misses, the page still runs no code.
import { html, type Raw } from "./html.ts";

/**
 * Scripts only from files beside the page ('self': the course's own, such as search); no inline script, no event
 * handler attribute, no javascript: URL, no eval. Styles may be inline (the page's stylesheet and charts' <style>);
 * images from the page's folder, data: URLs and https. Those scripts may fetch from the site itself (a search
 * index, when the course is served over http; from disk Chromium refuses file: fetches whatever the policy says).
 * Nothing else loads, no <base> moves links, no form posts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "media-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join("; ");

/** The <meta> that applies the policy; it must come before anything in <head> that loads or runs. */
export function cspMeta(): Raw {
  return html`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`;
}
