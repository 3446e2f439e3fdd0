// Pages are Preact components rendered to strings on the server: text and attributes are escaped by
// default (a forgotten call cannot become an XSS), and tsc checks every template like other code.
import type { ComponentChildren, VNode } from "preact";
import { renderToStaticMarkup } from "preact-render-to-string";

/** A whole HTML document from a page component (any props: the caller built the element). */
export function renderPage(page: VNode<any>): string {
  return "<!doctype html>" + renderToStaticMarkup(page);
}

/** A fragment (e.g. a table refreshed by a script) without the doctype. */
export function renderFragment(node: VNode<any>): string {
  return renderToStaticMarkup(node);
}

export type Children = ComponentChildren;
