package dev.coffer.authz;

import dev.coffer.common.Action;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed token scope (API.md §5): one or more items, whose rights are a union. The canonical
 * {@link #toString()} is what {@link #parse(String)} reads back to an equal scope.
 *
 * <p>Every request of the token is checked against every item, so a scope is bounded
 * ({@link #MAX_ITEMS}, {@link #MAX_CHARS}) and so is each path pattern in it ({@link PathPattern}).
 */
public final class Scope {
    /** Most items in one scope. */
    public static final int MAX_ITEMS = 100;
    /** Longest scope text (without the spaces around it). */
    public static final int MAX_CHARS = 4096;

    private static final String LIMITS =
            "a scope holds at most " + MAX_ITEMS + " items and " + MAX_CHARS + " characters";
    /** How much of a scope an explanation (a 403) quotes. */
    private static final int SUMMARY_CHARS = 120;

    private static final String USER_TEXT = "applied-permissions/user";
    private static final String ADMIN_TEXT = "applied-permissions/admin";
    private static final String GROUPS_PREFIX = "applied-permissions/groups:";
    private static final String ARTIFACT_PREFIX = "artifact:";
    /** The group names Coffer accepts; anything else (unicode spaces, control characters) is a typo or an attack. */
    private static final java.util.regex.Pattern GROUP_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private static final String ARTIFACT_FORM = "expected artifact:<repo>/<path-pattern>:<actions>";

    public static final Scope USER = new Scope(List.of(new ScopeItem.AppliedUser()));
    public static final Scope ADMIN = new Scope(List.of(new ScopeItem.AppliedAdmin()));

    private final List<ScopeItem> items;

    private Scope(List<ScopeItem> items) {
        this.items = List.copyOf(items);
    }

    /** @throws ScopeException naming the first offending item (or the whole text when it is blank) */
    public static Scope parse(String text) {
        Objects.requireNonNull(text, "scope");
        // only the grammar's separator (space) is trimmed: String.trim() would also drop control
        // characters such as NUL, silently accepting "artifact:libs/**:r\0" as "artifact:libs/**:r"
        int from = 0;
        int to = text.length();
        while (from < to && text.charAt(from) == ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ') {
            to--;
        }
        String trimmed = text.substring(from, to);
        if (trimmed.isEmpty()) {
            throw new ScopeException(text, "the scope is empty");
        }
        if (trimmed.length() > MAX_CHARS) {
            throw new ScopeException(
                    itemAt(trimmed, MAX_CHARS),
                    "the scope is longer than " + MAX_CHARS + " characters (" + LIMITS + ")");
        }
        String[] parts = trimmed.split(" +");
        if (parts.length > MAX_ITEMS) {
            throw new ScopeException(
                    parts[MAX_ITEMS], "the scope has more than " + MAX_ITEMS + " items (" + LIMITS + ")");
        }
        List<ScopeItem> items = new ArrayList<>();
        for (String part : parts) {
            items.add(parseItem(part));
        }
        return new Scope(items);
    }

    /** The item of a space-separated text that holds (or follows, at a space) the character at {@code index}. */
    private static String itemAt(String text, int index) {
        int start = index;
        while (start < text.length() && text.charAt(start) == ' ') {
            start++;
        }
        while (start > 0 && text.charAt(start - 1) != ' ') {
            start--;
        }
        int end = text.indexOf(' ', start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static ScopeItem parseItem(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            // items are separated by plain spaces; any other blank (a no-break space, a tab) or a
            // control character would silently glue two items into one odd pattern
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                throw new ScopeException(
                        part,
                        "whitespace or control characters inside a scope item "
                                + "(separate items with single spaces)");
            }
        }
        if (part.equals(USER_TEXT)) {
            return new ScopeItem.AppliedUser();
        }
        if (part.equals(ADMIN_TEXT)) {
            return new ScopeItem.AppliedAdmin();
        }
        try {
            if (part.startsWith(GROUPS_PREFIX)) {
                String list = part.substring(GROUPS_PREFIX.length());
                if (list.isEmpty()) {
                    throw new ScopeException(part, "expected applied-permissions/groups:<group>[,<group>...]");
                }
                String[] names = list.split(",", -1);
                for (String n : names) {
                    if (n.isEmpty()) {
                        throw new ScopeException(part, "empty group name");
                    }
                    if (!GROUP_NAME.matcher(n).matches()) {
                        throw new ScopeException(
                                part, "'" + n + "' is not a group name (letters, digits, '.', '_', '@', '-')");
                    }
                }
                return new ScopeItem.AppliedGroups(new LinkedHashSet<>(Arrays.asList(names)));
            }
            if (part.startsWith(ARTIFACT_PREFIX)) {
                return parseArtifact(part);
            }
        } catch (IllegalArgumentException e) {
            throw new ScopeException(part, e.getMessage());
        }
        throw new ScopeException(
                part,
                "unknown scope (expected applied-permissions/user, applied-permissions/admin, "
                        + "applied-permissions/groups:<groups> or artifact:<repo>/<path-pattern>:<actions>)");
    }

    private static ScopeItem parseArtifact(String part) {
        String rest = part.substring(ARTIFACT_PREFIX.length());
        // Actions come after the LAST ':' so that path patterns may contain ':'.
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new ScopeException(part, ARTIFACT_FORM);
        }
        String target = rest.substring(0, colon);
        String actionText = rest.substring(colon + 1);
        int slash = target.indexOf('/');
        String repo = slash < 0 ? target : target.substring(0, slash);
        // No '/' after the repository: the whole repository.
        String pattern = slash < 0 ? "**" : target.substring(slash + 1);
        if (repo.isEmpty()) {
            throw new ScopeException(part, ARTIFACT_FORM + " (the repository name is empty)");
        }
        if (repo.indexOf(':') >= 0) {
            throw new ScopeException(part, ARTIFACT_FORM + " (the repository name may not contain ':')");
        }
        if (pattern.isEmpty() || pattern.startsWith("/")) {
            throw new ScopeException(part, ARTIFACT_FORM + " (the path pattern is empty; use '**' for everything)");
        }
        return new ScopeItem.ArtifactGrant(repo, PathPattern.compile(pattern), parseActions(part, actionText));
    }

    private static Set<Action> parseActions(String part, String text) {
        if (text.isEmpty()) {
            throw new ScopeException(part, ARTIFACT_FORM + " (no actions given)");
        }
        if (text.equals("*")) {
            return Action.all();
        }
        Set<Action> out = EnumSet.noneOf(Action.class);
        for (String letter : text.split(",", -1)) {
            if (letter.equals("*")) {
                out.addAll(Action.all());
                continue;
            }
            try {
                out.add(Action.fromLetter(letter));
            } catch (IllegalArgumentException e) {
                throw new ScopeException(part, e.getMessage());
            }
        }
        return out;
    }

    public List<ScopeItem> items() {
        return items;
    }

    /**
     * This scope as seen by {@code member} when it is reached through the virtual repository
     * {@code virtual} (API.md §9): each {@code artifact:} item naming {@code virtual} covers the same
     * path patterns and actions in {@code member} instead; {@code artifact:} items naming any other
     * repository (the member itself included) cover nothing there; {@code applied-permissions/*}
     * items are unchanged (they stand for the owner's or the groups' rights on the member, which
     * the authorizer consults as for any repository). A token scoped to the member alone therefore
     * reaches nothing through the virtual repository, and one scoped to another virtual repository
     * nothing through this one.
     *
     * <p>The result may hold no item at all: a scope that covers nothing. It is only ever used to
     * decide on the member; it is never shown or parsed.
     */
    public Scope throughVirtual(String virtual, String member) {
        Objects.requireNonNull(virtual, "virtual");
        Objects.requireNonNull(member, "member");
        List<ScopeItem> out = new ArrayList<>(items.size());
        for (ScopeItem item : items) {
            if (item instanceof ScopeItem.ArtifactGrant g) {
                if (g.repo().equals(virtual)) {
                    out.add(new ScopeItem.ArtifactGrant(member, g.pattern(), g.actions()));
                }
            } else {
                out.add(item);
            }
        }
        return out.equals(items) ? this : new Scope(out);
    }

    /** Contains applied-permissions/admin. */
    public boolean requestsAdmin() {
        return items.stream().anyMatch(i -> i instanceof ScopeItem.AppliedAdmin);
    }

    /** The union of all applied-permissions/groups:... names. */
    public Set<String> requestedGroups() {
        Set<String> out = new LinkedHashSet<>();
        for (ScopeItem i : items) {
            if (i instanceof ScopeItem.AppliedGroups g) {
                out.addAll(g.groups());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public String toString() {
        return items.stream().map(ScopeItem::toString).collect(Collectors.joining(" "));
    }

    /** The start of the canonical text, for explanations: a refusal never quotes a whole scope back. */
    public String summary() {
        String full = toString();
        if (full.length() <= SUMMARY_CHARS) {
            return full;
        }
        return PathPattern.abbreviate(full, SUMMARY_CHARS) + " (" + items.size() + " items)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scope other && other.items.equals(items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }
}
