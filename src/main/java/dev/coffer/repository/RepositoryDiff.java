package dev.coffer.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a create or update does to a repository's settings: each field whose value changes, with
 * its value before (null on creation) and after, and whether the change widens who may see
 * content (API.md §3, §9). The one place that says which changes widen exposure, so that every
 * route that changes a repository asks the same question: turning {@code anonymousRead} on,
 * adding a member to a virtual repository, pointing a remote at another {@code url}, and any change
 * of the include or exclude patterns (conservatively: which paths virtual repositories ask a
 * repository for, and which paths a remote fetches). The upstream's {@code username} and
 * {@code password} are fields too, but their values are never shown: {@code none}, {@code set},
 * {@code changed}.
 *
 * <p>On creation, a field is listed when its value is not the default of a new generic, local
 * repository (the description and {@code anonymousRead} always are).
 *
 * @param before the repository as it was, or null when it is being created
 */
public record RepositoryDiff(Repository before, Repository after) {

    /** One changed setting; {@code widens} when more callers may see content afterwards. */
    public record Field(String name, Object before, Object after, boolean widens) {
        public Field {
            Objects.requireNonNull(name, "name");
        }
    }

    private static final String NONE = "none";
    private static final String SET = "set";

    public RepositoryDiff {
        Objects.requireNonNull(after, "after");
        if (before != null && !before.name().equals(after.name())) {
            throw new IllegalArgumentException("a diff compares one repository with itself");
        }
    }

    public boolean created() {
        return before == null;
    }

    /** The settings that change, in a fixed order; empty when the update changes nothing. */
    public List<Field> fields() {
        List<Field> out = new ArrayList<>();
        String oldDescription = before == null ? null : before.description();
        if (!Objects.equals(oldDescription, after.description())) {
            out.add(new Field("description", oldDescription, after.description(), false));
        }
        // a repository that does not exist yet exposes nothing: creating a public one widens too
        boolean wasPublic = before != null && before.anonymousRead();
        if (before == null || wasPublic != after.anonymousRead()) {
            out.add(new Field(
                    "anonymousRead",
                    before == null ? null : wasPublic,
                    after.anonymousRead(),
                    !wasPublic && after.anonymousRead()));
        }
        Repository was = before == null ? defaults() : before;
        add(out, "packageType", was.packageType().json(), after.packageType().json(), false);
        add(out, "rclass", was.rclass().json(), after.rclass().json(), false);
        add(
                out,
                "includePatterns",
                was.filter().includePatterns(),
                after.filter().includePatterns(),
                true);
        add(
                out,
                "excludePatterns",
                was.filter().excludePatterns(),
                after.filter().excludePatterns(),
                true);
        RemoteSettings r0 = was.remote();
        RemoteSettings r1 = after.remote();
        add(
                out,
                "url",
                r0 == null ? null : r0.url().toString(),
                r1 == null ? null : r1.url().toString(),
                true);
        secret(out, "username", r0 == null ? null : r0.username(), r1 == null ? null : r1.username());
        secret(out, "password", r0 == null ? null : r0.sealedPassword(), r1 == null ? null : r1.sealedPassword());
        add(out, "cacheSeconds", r0 == null ? null : r0.cacheSeconds(), r1 == null ? null : r1.cacheSeconds(), false);
        add(out, "offline", r0 == null ? null : r0.offline(), r1 == null ? null : r1.offline(), false);
        VirtualSettings v0 = was.virtual();
        VirtualSettings v1 = after.virtual();
        add(
                out,
                "repositories",
                v0 == null ? null : v0.members(),
                v1 == null ? null : v1.members(),
                !addedMembers().isEmpty());
        add(
                out,
                "defaultDeployRepo",
                v0 == null ? null : v0.defaultDeployRepo(),
                v1 == null ? null : v1.defaultDeployRepo(),
                false);
        return out;
    }

    /** Members of the virtual repository afterwards that it did not have before, in their order. */
    public List<String> addedMembers() {
        if (after.virtual() == null) {
            return List.of();
        }
        List<String> old = before == null || before.virtual() == null
                ? List.of()
                : before.virtual().members();
        return after.virtual().members().stream().filter(m -> !old.contains(m)).toList();
    }

    /** Some change lets more callers see the repository's content than before. */
    public boolean widensExposure() {
        return fields().stream().anyMatch(Field::widens);
    }

    /** The baseline a creation is compared with: a new generic, local repository. */
    private Repository defaults() {
        return new Repository(after.name(), "", false, 0, 0);
    }

    private void add(List<Field> out, String name, Object was, Object now, boolean widens) {
        if (!Objects.equals(was, now)) {
            out.add(new Field(name, before == null ? null : was, now, widens));
        }
    }

    /** A write-only value: recorded as none, set or changed, never as itself. */
    private void secret(List<Field> out, String name, String was, String now) {
        if (Objects.equals(was, now)) {
            return;
        }
        String shownBefore = before == null ? null : was == null ? NONE : SET;
        String shownAfter = now == null ? NONE : was == null ? SET : "changed";
        out.add(new Field(name, shownBefore, shownAfter, false));
    }
}
