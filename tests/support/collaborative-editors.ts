// For tests: headless TipTap editors on the shared schema, each bound to a Yjs document as the browser
// binds them (Collaboration and RemoteChangeCaret, as PieceEditor.svelte), destroyed together after each test. (Needs a DOM: use it under happy-dom.)
import { afterEach } from 'vitest';
import type * as Y from 'yjs';
import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { editorExtensions } from '../../src/lib/editor/extensions';
import { RemoteChangeCaret } from '../../src/lib/editor/remote-change-caret';
import '../../src/lib/editor/y-sync'; // as the browser editor binds them
import '../../src/lib/editor/decoration-lookup';
import { BODY_FRAGMENT } from '../../src/lib/domain/collab';

/** Call inside a test file or describe block: returns `collaborativeEditor(doc)`; the editors are destroyed after each test. */
export function useCollaborativeEditors(): (doc: Y.Doc) => Editor {
	const editors: Editor[] = [];
	afterEach(() => editors.splice(0).forEach((e) => e.destroy()));
	return (doc) => {
		const editor = new Editor({
			element: document.createElement('div'),
			extensions: [...editorExtensions, Collaboration.configure({ document: doc, field: BODY_FRAGMENT }), RemoteChangeCaret]
		});
		editors.push(editor);
		return editor;
	};
}
