/**
 * Whether the app has started (hydrated) in this browser. Forms here submit through JavaScript, so their
 * submit buttons stay disabled until then: a click or Enter in the first moments after the page shows would
 * otherwise submit the form natively, as a GET to the page itself, putting what was typed (passwords
 * included) into the URL and the browser history, and doing nothing else. Set by the root layout.
 */
export const hydration = $state({ done: false });
