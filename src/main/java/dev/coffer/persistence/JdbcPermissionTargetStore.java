package dev.coffer.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Action;
import dev.coffer.permission.PermissionTargetStore;
import dev.coffer.permission.TargetReferences;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each target as one JSON document (its Artifactory-style shape), naming users, groups and
 * repositories by name. Those names are kept true by transactions: {@link #save} checks them and
 * writes in one, and the delete of a user, group or repository runs in {@link #deleteWithGrants}.
 *
 * <p>On PostgreSQL the check takes {@code FOR KEY SHARE} locks on the rows it found (as a foreign
 * key check would), so a delete of one of them waits for the write to commit and then sees the
 * target; a delete that got there first holds its row, and the check then finds it gone. On
 * SQLite every write transaction is IMMEDIATE, so they run one after another anyway.
 */
public final class JdbcPermissionTargetStore implements PermissionTargetStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPermissionTargetStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Names per IN list: PostgreSQL takes at most 65,535 parameters in one statement. */
    private static final int CHUNK = 500;
    /** The width of the name columns. */
    private static final int MAX_NAME = 255;

    private final Jdbc jdbc;
    private final boolean rowLocks;

    public JdbcPermissionTargetStore(Jdbc jdbc, Database.Dialect dialect) {
        this.jdbc = Objects.requireNonNull(jdbc);
        this.rowLocks = Objects.requireNonNull(dialect) == Database.Dialect.POSTGRESQL;
    }

    private record Doc(
            String name,
            List<String> repositories,
            List<String> includePatterns,
            List<String> excludePatterns,
            Map<String, List<String>> users,
            Map<String, List<String>> groups) {}

    private static String write(PermissionTarget t) {
        try {
            return JSON.writeValueAsString(new Doc(
                    t.name(),
                    t.repositories(),
                    t.includePatterns(),
                    t.excludePatterns(),
                    letters(t.users()),
                    letters(t.groups())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PermissionTarget read(String json) {
        try {
            Doc d = JSON.readValue(json, Doc.class);
            return new PermissionTarget(
                    d.name(),
                    d.repositories(),
                    d.includePatterns(),
                    d.excludePatterns(),
                    actions(d.users()),
                    actions(d.groups()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable permission target: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, List<String>> letters(Map<String, Set<Action>> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) ->
                out.put(k, v.stream().map(a -> String.valueOf(a.letter())).toList()));
        return out;
    }

    private static Map<String, Set<Action>> actions(Map<String, List<String>> m) {
        Map<String, Set<Action>> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> {
                Set<Action> s = EnumSet.noneOf(Action.class);
                v.forEach(l -> s.add(Action.fromLetter(l)));
                out.put(k, s);
            });
        }
        return out;
    }

    @Override
    public List<PermissionTarget> list() {
        return jdbc.query("SELECT definition FROM permission_targets ORDER BY name", rs -> read(rs.getString(1)));
    }

    @Override
    public Optional<PermissionTarget> find(String name) {
        return jdbc.queryOne(
                "SELECT definition FROM permission_targets WHERE name = ?", rs -> read(rs.getString(1)), name);
    }

    @Override
    public Saved save(PermissionTarget target, long now) {
        return jdbc.inTransaction(() -> {
            // every name is checked (and held) before the target row is touched: a delete holds its
            // own row first and the targets after, so the two never wait for each other in a circle
            List<Reference> unknown = missing(TargetReferences.of(target), true);
            if (!unknown.isEmpty()) {
                return new Refused(unknown);
            }
            boolean exists = find(target.name()).isPresent();
            jdbc.update(
                    "INSERT INTO permission_targets (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
                    target.name(),
                    write(target),
                    now,
                    now);
            return new Written(!exists);
        });
    }

    @Override
    public boolean delete(String name) {
        return jdbc.update("DELETE FROM permission_targets WHERE name = ?", name) > 0;
    }

    @Override
    public List<Reference> unknown(Collection<Reference> references) {
        return missing(new ArrayList<>(new LinkedHashSet<>(references)), false);
    }

    /**
     * Runs {@code delete} (of the user, group or repository {@code deleted}, answering whether there
     * was a row) and, if it deleted, removes the name from every target that names it: one
     * transaction. The delete statement comes first and holds the row, so a concurrent
     * {@link #save} naming it has either committed already, and is seen here, or finds it gone.
     */
    public boolean deleteWithGrants(Reference deleted, Jdbc.Work<Boolean> delete) {
        List<Change> changes = new ArrayList<>();
        boolean done = jdbc.inTransaction(() -> {
            boolean d = delete.run();
            if (d) {
                changes.addAll(forget(deleted));
            }
            return d;
        });
        for (Change c : changes) {
            // a target that lost its last repository is gone, so that one is a warning
            if (c.deleted()) {
                LOG.warn("{} was deleted: {}", deleted, c);
            } else {
                LOG.info("{} was deleted: {}", deleted, c);
            }
        }
        return done;
    }

    private List<Change> forget(Reference deleted) {
        // the name as the JSON document spells it, then checked exactly once parsed (LIKE may
        // also match a pattern or another kind of name, and ignores case on SQLite)
        String like =
                "%\"" + deleted.name().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "\"%";
        return rewrite(
                jdbc.query(
                        "SELECT definition FROM permission_targets WHERE definition LIKE ? ESCAPE '!' "
                                + "ORDER BY name" + lock(" FOR UPDATE"),
                        rs -> read(rs.getString(1)),
                        like),
                deleted::equals);
    }

    @Override
    public List<Change> removeUnknown() {
        return jdbc.inTransaction(() -> {
            // targets first, names after: a target written since names a user that exists by then
            List<PermissionTarget> all = jdbc.query(
                    "SELECT definition FROM permission_targets ORDER BY name" + lock(" FOR UPDATE"),
                    rs -> read(rs.getString(1)));
            List<Reference> named = new ArrayList<>();
            all.forEach(t -> named.addAll(TargetReferences.of(t)));
            Set<Reference> gone = new HashSet<>(unknown(named));
            return gone.isEmpty() ? List.of() : rewrite(all, gone::contains);
        });
    }

    /** Writes each target without the names {@code gone} holds for, or deletes it when no repository is left. */
    private List<Change> rewrite(List<PermissionTarget> targets, Predicate<Reference> gone) {
        List<Change> changes = new ArrayList<>();
        for (PermissionTarget t : targets) {
            Optional<PermissionTarget> next = TargetReferences.without(t, gone);
            if (next.isPresent() && next.get() == t) {
                continue;
            }
            List<Reference> removed =
                    TargetReferences.of(t).stream().filter(gone).distinct().toList();
            if (next.isEmpty()) {
                jdbc.update("DELETE FROM permission_targets WHERE name = ?", t.name());
            } else {
                jdbc.update("UPDATE permission_targets SET definition = ? WHERE name = ?", write(next.get()), t.name());
            }
            changes.add(new Change(t.name(), removed, next.isEmpty()));
        }
        return changes;
    }

    /** Of {@code refs}, those without a row; with {@code hold}, the rows found stay locked until commit. */
    private List<Reference> missing(List<Reference> refs, boolean hold) {
        Map<Kind, Set<String>> found = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            // a name no column can hold is unknown without asking (PostgreSQL refuses a NUL outright)
            List<String> names = refs.stream()
                    .filter(r -> r.kind() == kind)
                    .map(Reference::name)
                    .filter(n -> n.length() <= MAX_NAME && n.indexOf('\0') < 0)
                    .distinct()
                    .toList();
            Set<String> present = new HashSet<>();
            for (int from = 0; from < names.size(); from += CHUNK) {
                List<String> chunk = names.subList(from, Math.min(names.size(), from + CHUNK));
                String sql = "SELECT " + column(kind) + " FROM " + table(kind) + " WHERE " + column(kind) + " IN ("
                        + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")"
                        + (hold ? lock(" FOR KEY SHARE") : "");
                present.addAll(jdbc.query(sql, rs -> rs.getString(1), chunk.toArray()));
            }
            found.put(kind, present);
        }
        return refs.stream()
                .filter(r -> !found.get(r.kind()).contains(r.name()))
                .distinct()
                .toList();
    }

    private String lock(String clause) {
        return rowLocks ? clause : "";
    }

    private static String table(Kind kind) {
        return switch (kind) {
            case USER -> "users";
            case GROUP -> "user_groups";
            case REPOSITORY -> "repositories";
        };
    }

    private static String column(Kind kind) {
        return kind == Kind.USER ? "username" : "name";
    }
}
