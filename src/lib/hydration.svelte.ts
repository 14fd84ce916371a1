/**
 * Whether the app has started (hydrated) in this browser. The pages' forms are form actions and need no
 * such flag; the controls that only work with JavaScript (the issue board's drag and section buttons, the
 * piece picker, the archive import's preview, the export buttons) stay disabled until then, so a click in
 * the first moments after the page shows is not lost. Set by the root layout.
 */
export const hydration = $state({ done: false });
