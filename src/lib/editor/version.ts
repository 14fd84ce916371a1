/**
 * The editor schema's version. Bump it whenever nodes, marks or attributes change in a way an older
 * client would mangle. The client sends it as `?schema=N`; an outdated client is refused (close 4009).
 */
// 3: an interview's participants are `participant` nodes inside `participants` (2 kept them as one `list`
// attribute, which a schema-2 client would still write, and whose editor would drop the new nodes).
// 4: an endnote's text is the `endnote` node's content (3 kept it as the `note` attribute, which a schema-3
// client would still write whole on every keystroke, and whose editor would drop the new content).
export const EDITOR_SCHEMA_VERSION = 4;
