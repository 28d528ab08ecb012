package dev.coffer.http;

import dev.coffer.common.Action;

/**
 * What a route needs before its handler runs. Every route declares one (deny by default: a test
 * walks the route table). {@link RepoAction} routes are decided by the guard itself, from the
 * validated repository and path, before anything is looked up.
 */
public sealed interface Requirement {
    /** Open to every caller, including anonymous; the handler shows only what the caller may see. */
    record Anyone(String why) implements Requirement {}

    /** Any authenticated (non-anonymous) caller. */
    record Authenticated() implements Requirement {}

    record Admin() implements Requirement {}

    /** The action on {repo}/{path} of the request. */
    record RepoAction(Action action) implements Requirement {}

    /** Checked by the handler, for rules that depend on the target (e.g. "admin, or the user themself"). */
    record Custom(String rule) implements Requirement {}
}
