package dev.coffer.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Action;
import dev.coffer.permission.PermissionTargetStore;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Stores each target as one JSON document (its Artifactory-style shape). */
public final class JdbcPermissionTargetStore implements PermissionTargetStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbc jdbc;

    public JdbcPermissionTargetStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    private record Doc(String name, List<String> repositories, List<String> includePatterns,
            List<String> excludePatterns, Map<String, List<String>> users, Map<String, List<String>> groups) {}

    private static String write(PermissionTarget t) {
        try {
            return JSON.writeValueAsString(new Doc(t.name(), t.repositories(), t.includePatterns(),
                    t.excludePatterns(), letters(t.users()), letters(t.groups())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PermissionTarget read(String json) {
        try {
            Doc d = JSON.readValue(json, Doc.class);
            return new PermissionTarget(d.name(), d.repositories(), d.includePatterns(), d.excludePatterns(),
                    actions(d.users()), actions(d.groups()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable permission target: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, List<String>> letters(Map<String, Set<Action>> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.stream().map(a -> String.valueOf(a.letter())).toList()));
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
        return jdbc.queryOne("SELECT definition FROM permission_targets WHERE name = ?", rs -> read(rs.getString(1)),
                name);
    }

    @Override
    public boolean upsert(PermissionTarget target, long now) {
        return jdbc.inTransaction(() -> {
            boolean exists = find(target.name()).isPresent();
            jdbc.update("INSERT INTO permission_targets (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
                    target.name(), write(target), now, now);
            return !exists;
        });
    }

    @Override
    public boolean delete(String name) {
        return jdbc.update("DELETE FROM permission_targets WHERE name = ?", name) > 0;
    }
}
