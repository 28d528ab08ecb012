package dev.coffer.authz;

import dev.coffer.common.Action;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** One space-separated item of a token scope (API.md §5). {@code toString()} is its canonical text. */
public sealed interface ScopeItem
        permits ScopeItem.AppliedUser, ScopeItem.AppliedAdmin, ScopeItem.AppliedGroups, ScopeItem.ArtifactGrant {

    /** Longest repository name in an artifact item (repository names are far shorter; this bounds a typo). */
    int MAX_REPO_CHARS = 255;

    /** {@code applied-permissions/user}: all rights of the subject. */
    record AppliedUser() implements ScopeItem {
        @Override
        public String toString() {
            return "applied-permissions/user";
        }
    }

    /** {@code applied-permissions/admin}: admin (issued by admins only). */
    record AppliedAdmin() implements ScopeItem {
        @Override
        public String toString() {
            return "applied-permissions/admin";
        }
    }

    /** {@code applied-permissions/groups:g1,g2}: the rights of those groups. */
    record AppliedGroups(Set<String> groups) implements ScopeItem {
        public AppliedGroups {
            Objects.requireNonNull(groups, "groups");
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("expected at least one group name");
            }
            for (String g : groups) {
                if (g == null || g.isEmpty() || g.indexOf(',') >= 0 || g.indexOf(' ') >= 0 || hasControl(g)) {
                    throw new IllegalArgumentException("invalid group name '" + g + "'");
                }
            }
            groups = Collections.unmodifiableSet(new LinkedHashSet<>(groups));
        }

        @Override
        public String toString() {
            return "applied-permissions/groups:" + String.join(",", groups);
        }
    }

    /** {@code artifact:<repo>/<path-pattern>:<actions>}: the actions on matching paths of one repository. */
    record ArtifactGrant(String repo, PathPattern pattern, Set<Action> actions) implements ScopeItem {
        public ArtifactGrant {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(actions, "actions");
            if (repo.isEmpty()) {
                throw new IllegalArgumentException("the repository name is empty");
            }
            if (repo.length() > MAX_REPO_CHARS) {
                throw new IllegalArgumentException(
                        "the repository name is longer than " + MAX_REPO_CHARS + " characters");
            }
            if (repo.equals("*") || repo.indexOf('*') >= 0) {
                throw new IllegalArgumentException("the repository must be named literally ('*' is not supported)");
            }
            if (repo.indexOf(':') >= 0 || repo.indexOf('/') >= 0 || repo.indexOf(' ') >= 0 || hasControl(repo)) {
                throw new IllegalArgumentException("invalid repository name '" + repo + "'");
            }
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("expected at least one action");
            }
            actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
        }

        @Override
        public String toString() {
            String acts = actions.equals(Action.all())
                    ? "*"
                    : Action.letters(actions)
                            .chars()
                            .mapToObj(c -> String.valueOf((char) c))
                            .collect(Collectors.joining(","));
            return "artifact:" + repo + "/" + pattern + ":" + acts;
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }
}
