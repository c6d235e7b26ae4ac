// The search box of an exported course, run in the reader's browser: loads the index beside the page and lists matches.
/// <reference lib="dom" />
import MiniSearch from "minisearch";
import { QUERY_OPTIONS, SEARCH_OPTIONS, type SearchDoc } from "./search-options.ts";

declare global {
  interface Window {
    looplabSearchIndex?: string;
  }
}

const MAX_RESULTS = 8;

type Stored = Pick<SearchDoc, "href" | "lesson" | "section" | "snippet">;

function resultItem(doc: Stored, active: boolean): HTMLLIElement {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = doc.href;
  link.className = active ? "search-hit active" : "search-hit";
  const part = (className: string, text: string) => {
    const span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  };
  link.append(part("search-hit-title", doc.section), part("search-hit-lesson", doc.lesson), part("search-hit-snippet", doc.snippet));
  item.append(link);
  return item;
}

function start(): void {
  const input = document.querySelector<HTMLInputElement>("#site-search");
  const list = document.querySelector<HTMLOListElement>("#search-results");
  const json = window.looplabSearchIndex;
  if (!input || !list || !json) return;
  const index = MiniSearch.loadJSON<SearchDoc>(json, SEARCH_OPTIONS);
  // The box is hidden until an index is here: without this script it could do nothing.
  document.documentElement.classList.add("search-ready");

  const show = () => {
    const query = input.value.trim();
    list.replaceChildren();
    if (!query) {
      list.hidden = true;
      return;
    }
    const hits = index.search(query, QUERY_OPTIONS).slice(0, MAX_RESULTS) as unknown as Stored[];
    if (hits.length === 0) {
      const none = document.createElement("li");
      none.className = "search-none";
      none.textContent = `Nothing found for “${query}”`;
      list.append(none);
    } else {
      hits.forEach((hit, i) => list.append(resultItem(hit, i === 0)));
    }
    list.hidden = false;
  };
  input.addEventListener("input", show);
  input.addEventListener("keydown", (event) => {
    const hits = Array.from(list.querySelectorAll<HTMLAnchorElement>("a.search-hit"));
    const current = hits.findIndex((hit) => hit.classList.contains("active"));
    if (event.key === "Enter") {
      const chosen = hits[Math.max(0, current)];
      if (chosen) location.href = chosen.href;
      event.preventDefault();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && hits.length > 0) {
      // The arrows move the highlighted result; Enter opens it, as in most documentation search boxes.
      const next = (current + (event.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
      hits[current]?.classList.remove("active");
      hits[next].classList.add("active");
      hits[next].scrollIntoView({ block: "nearest" });
      event.preventDefault();
    } else if (event.key === "Escape") {
      input.value = "";
      show();
    }
  });
  // "/" jumps to the box, as on most documentation sites.
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement !== input && !(event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement)) {
      event.preventDefault();
      input.focus();
    }
  });
}

/** Wide screens show the course contents open; browsers without ::details-content get the same by this. */
function openSidebarOnWideScreens(): void {
  if (CSS.supports("selector(::details-content)")) return; // the stylesheet does it, and follows the width
  const menu = document.querySelector<HTMLDetailsElement>(".sidebar-contents");
  if (menu && window.matchMedia("(min-width: 1100px)").matches) menu.open = true;
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => {
    openSidebarOnWideScreens();
    start();
  });
} else {
  openSidebarOnWideScreens();
  start();
}
