package dev.coffer.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a create or update does to a repository's settings: each field whose value changes, with
 * its value before (null on creation) and after, and whether the change widens who may see the
 * repository's content (API.md §3). The one place that says which changes widen exposure, so
 * that every route that changes a repository asks the same question.
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
        List<Field> out = new ArrayList<>(2);
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
        return out;
    }

    /** Some change lets more callers see the repository's content than before. */
    public boolean widensExposure() {
        return fields().stream().anyMatch(Field::widens);
    }
}
