package dev.coffer.virtual;

import dev.coffer.artifact.FileRecord;
import dev.coffer.common.CofferException;
import dev.coffer.repository.Repository;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What asking a virtual repository's members for one path found: each member in order with what
 * happened there, and the files of those that answered (the first one for a download, every one
 * for merged metadata).
 *
 * @param outage the first member failure (an upstream or storage outage), if any: with no file
 *     found, the request fails with it instead of a 404 (an outage is not absence)
 */
public record Resolution(List<Step> steps, List<Hit> hits, Optional<CofferException> outage) {
    public Resolution {
        steps = List.copyOf(steps);
        hits = List.copyOf(hits);
        Objects.requireNonNull(outage, "outage");
    }

    /** What happened at one member; {@code repo} is the member's name. */
    public record Step(String repo, Outcome outcome) {
        public Step {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * A member that has the file, and the file; for a remote member, whether this request fetched
     * it, got it stale, or already sent it while it was cached ({@link MemberContent.Found}).
     */
    public record Hit(Repository member, FileRecord file, boolean fetched, boolean stale, boolean streamed) {
        public Hit {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(file, "file");
        }

        public Hit(Repository member, FileRecord file) {
            this(member, file, false, false, false);
        }

        Hit(Repository member, MemberContent.Found found) {
            this(member, found.file(), found.fetched(), found.stale(), found.streamed());
        }
    }

    /** Why a member answered or not, in the order the checks run. */
    public enum Outcome {
        /** The member has the file and answers. */
        ANSWERS("answers", "has the file and answers"),
        /** The member's include/exclude patterns leave the path out: it is not asked. */
        OUTSIDE_PATTERNS("outside_patterns", "its include/exclude patterns leave this path out, so it is not asked"),
        /** A remote member, and a local member holds the path's namespace: it is not asked. */
        NAMESPACE_PROTECTED(
                "namespace_protected",
                "a remote member, and a local member holds this path's namespace (Maven groupId/artifactId, "
                        + "npm package name), "
                        + "so it is not asked (namespace protection)"),
        /** The caller may not read the path there (through the virtual repository): as if absent. */
        NOT_READABLE("not_readable", "the caller may not read this path there, so it is skipped as if absent"),
        /** Asked, and it has no such file. */
        ABSENT("absent", "asked, and it has no such file"),
        /** Asked, and it could not answer (an upstream or storage outage). */
        UNAVAILABLE("unavailable", "asked, and it could not answer (an outage)"),
        /** The member repository does not exist (any more). */
        MISSING("missing", "there is no such repository"),
        /** An earlier member answers: this one is not asked. */
        NOT_ASKED("not_asked", "an earlier member answers, so it is not asked");

        private final String json;
        private final String sentence;

        Outcome(String json, String sentence) {
            this.json = json;
            this.sentence = sentence;
        }

        /** Why, as a sentence about the member. */
        public String sentence() {
            return sentence;
        }

        /** The spelling in JSON answers ({@code GET /api/access/check}). */
        public String json() {
            return json;
        }
    }

    /** The first member that answers. */
    public Optional<Hit> first() {
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
    }
}
