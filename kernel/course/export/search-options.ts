// What the search index holds: shared by the exporter that builds it and the page script that loads it.
import type { Options } from "minisearch";

/** One searchable unit: a section of a lesson, from one heading to the next. */
export interface SearchDoc {
  id: number;
  /** Page and anchor, relative to the edition's folder: `04-fetching.html#streaming`. */
  href: string;
  lesson: string;
  section: string;
  text: string;
  /** The section's first words, shown under a result. */
  snippet: string;
}

/** MiniSearch needs the same fields when it loads an index as when it built it. Section text is searched, not kept. */
export const SEARCH_OPTIONS: Options<SearchDoc> = {
  fields: ["section", "lesson", "text"],
  storeFields: ["href", "lesson", "section", "snippet"],
};

/** How the page searches: words match by prefix while typing, with small typos forgiven; titles count more. */
export const QUERY_OPTIONS = { prefix: true, fuzzy: 0.2, boost: { section: 3, lesson: 1.5 }, combineWith: "AND" } as const;

/** Scripts beside every page of a site (the page loads them by these names, never inline). */
export const SEARCH_SCRIPT = "search.js";
export const SEARCH_INDEX_SCRIPT = "search-index.js";
