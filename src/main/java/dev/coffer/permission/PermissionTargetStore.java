package dev.coffer.permission;

import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Redaction;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Permission targets, which name users, groups and repositories by name. A name in a stored
 * target always refers to the user, group or repository that exists now (SECURITY-CHECKLIST 13):
 * {@link #save} refuses a target naming one that does not exist, in the same transaction as the
 * write, and deleting a user, group or repository removes it from every target in the
 * transaction of the delete (see the persistence adapters), so a new one of the same name starts
 * with nothing.
 */
public interface PermissionTargetStore {

    /** What a permission target names besides paths. */
    enum Kind {
        USER("user"),
        GROUP("group"),
        REPOSITORY("repository");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** A user, group or repository named by a target. */
    record Reference(Kind kind, String name) {
        public Reference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }

        /** {@code user 'dave'}, fit for an error message or a log line whatever the name holds. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(kind.word()).append(" '");
            String shown = Redaction.secrets(name);
            for (int i = 0; i < shown.length() && i < MAX_SHOWN; i++) {
                char c = shown.charAt(i);
                if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.append(shown.length() > MAX_SHOWN ? "...'" : "'").toString();
        }

        private static final int MAX_SHOWN = 80;
    }

    /** The result of {@link #save}. */
    sealed interface Saved permits Written, Refused {}

    /** Stored; {@code created} when there was no target of that name before. */
    record Written(boolean created) implements Saved {}

    /** Nothing was written: these names do not exist (in the order the target gives them). */
    record Refused(List<Reference> unknown) implements Saved {
        public Refused {
            unknown = List.copyOf(unknown);
        }
    }

    /**
     * A target that lost names: rewritten without them, or deleted when no repository was left
     * (a target with users but no repository would be a rule waiting for a repository to appear).
     */
    record Change(String target, List<Reference> removed, boolean deleted) {
        public Change {
            removed = List.copyOf(removed);
        }

        @Override
        public String toString() {
            return "permission target '" + target + "' "
                    + (deleted
                            ? "deleted (it named no other repository)"
                            : "no longer names "
                                    + String.join(
                                            ", ",
                                            removed.stream()
                                                    .map(Reference::toString)
                                                    .toList()));
        }
    }

    List<PermissionTarget> list();

    Optional<PermissionTarget> find(String name);

    /**
     * Inserts or replaces, if every user, group and repository it names exists ({@code "*"} is
     * every repository); the check holds them until the write commits, so a concurrent delete
     * either comes after (and removes the name again) or makes this a {@link Refused}.
     */
    Saved save(PermissionTarget target, long now);

    boolean delete(String name);

    /** Of these references, the ones that do not exist (a read only: nothing is locked or changed). */
    List<Reference> unknown(Collection<Reference> references);

    /**
     * Removes from every target each name that does not exist, in one transaction: for databases
     * written before names were checked (a deleted user's grants used to stay behind for the next
     * account of that name). Like the removals that deletes make, it leaves {@code updated_at}
     * alone: that is the time of the last edit by an administrator.
     */
    List<Change> removeUnknown();
}
