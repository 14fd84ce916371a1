/**
 * The editor schema's version. Bump it whenever nodes, marks or attributes change in a way an older
 * client would mangle. The client sends it as `?schema=N`; an outdated client is refused (close 4009).
 */
// 3: an interview's participants are `participant` nodes inside `participants` (2 kept them as one `list`
// attribute, which a schema-2 client would still write, and whose editor would drop the new nodes).
export const EDITOR_SCHEMA_VERSION = 3;
