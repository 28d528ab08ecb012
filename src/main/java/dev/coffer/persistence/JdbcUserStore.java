package dev.coffer.persistence;

import dev.coffer.identity.Group;
import dev.coffer.identity.User;
import dev.coffer.identity.UserStore;
import dev.coffer.permission.PermissionTargetStore.Kind;
import dev.coffer.permission.PermissionTargetStore.Reference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Users, groups and memberships. Deleting a user or a group also removes it from every permission
 * target, in the same transaction (the targets name them inside a JSON document, where no foreign
 * key can cascade): a new account or group of the same name starts with nothing.
 */
public final class JdbcUserStore implements UserStore {
    private static final String COLS = "id, username, password_hash, email, admin, disabled, created_at, updated_at";
    private final Jdbc jdbc;
    private final JdbcPermissionTargetStore targets;

    public JdbcUserStore(Jdbc jdbc, JdbcPermissionTargetStore targets) {
        this.jdbc = Objects.requireNonNull(jdbc);
        this.targets = Objects.requireNonNull(targets);
    }

    private record Row(
            long id,
            String username,
            String hash,
            String email,
            boolean admin,
            boolean disabled,
            long created,
            long updated) {}

    private static Row map(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getBoolean(5),
                rs.getBoolean(6),
                rs.getLong(7),
                rs.getLong(8));
    }

    private User withGroups(Row r) {
        Set<String> groups = new HashSet<>(
                jdbc.query("SELECT group_name FROM group_members WHERE user_id = ?", rs -> rs.getString(1), r.id()));
        return new User(
                r.id(), r.username(), r.hash(), r.email(), r.admin(), r.disabled(), groups, r.created(), r.updated());
    }

    @Override
    public Optional<User> findUser(String username) {
        return jdbc.queryOne("SELECT " + COLS + " FROM users WHERE username = ?", JdbcUserStore::map, username)
                .map(this::withGroups);
    }

    @Override
    public Optional<User> findUserById(long id) {
        return jdbc.queryOne("SELECT " + COLS + " FROM users WHERE id = ?", JdbcUserStore::map, id)
                .map(this::withGroups);
    }

    @Override
    public List<User> listUsers() {
        return jdbc.query("SELECT " + COLS + " FROM users ORDER BY username", JdbcUserStore::map).stream()
                .map(this::withGroups)
                .toList();
    }

    @Override
    public User insertUser(User u) {
        return jdbc.inTransaction(() -> {
            long id = jdbc.queryOne(
                            "INSERT INTO users (username, password_hash, email, admin, disabled, created_at, "
                                    + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            rs -> rs.getLong(1),
                            u.username(),
                            u.passwordHash(),
                            u.email(),
                            u.admin(),
                            u.disabled(),
                            u.createdAt(),
                            u.updatedAt())
                    .orElseThrow();
            replaceMemberships(id, u.groups());
            return new User(
                    id,
                    u.username(),
                    u.passwordHash(),
                    u.email(),
                    u.admin(),
                    u.disabled(),
                    u.groups(),
                    u.createdAt(),
                    u.updatedAt());
        });
    }

    @Override
    public void updateUser(User u) {
        jdbc.inTransaction(() -> {
            jdbc.update(
                    "UPDATE users SET password_hash = ?, email = ?, admin = ?, disabled = ?, updated_at = ? "
                            + "WHERE id = ?",
                    u.passwordHash(),
                    u.email(),
                    u.admin(),
                    u.disabled(),
                    u.updatedAt(),
                    u.id());
            replaceMemberships(u.id(), u.groups());
            return null;
        });
    }

    private void replaceMemberships(long userId, Set<String> groups) {
        jdbc.update("DELETE FROM group_members WHERE user_id = ?", userId);
        for (String g : groups) {
            jdbc.update("INSERT INTO group_members (group_name, user_id) VALUES (?, ?)", g, userId);
        }
    }

    @Override
    public boolean deleteUser(String username) {
        return targets.deleteWithGrants(new Reference(Kind.USER, username), () -> {
            jdbc.update(
                    "DELETE FROM group_members WHERE user_id IN (SELECT id FROM users WHERE username = ?)", username);
            return jdbc.update("DELETE FROM users WHERE username = ?", username) > 0;
        });
    }

    @Override
    public Optional<Group> findGroup(String name) {
        return jdbc.queryOne(
                "SELECT name, description, created_at, updated_at FROM user_groups WHERE name = ?",
                rs -> new Group(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)),
                name);
    }

    @Override
    public List<Group> listGroups() {
        return jdbc.query(
                "SELECT name, description, created_at, updated_at FROM user_groups ORDER BY name",
                rs -> new Group(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    }

    @Override
    public void upsertGroup(Group g) {
        jdbc.update(
                "INSERT INTO user_groups (name, description, created_at, updated_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET description = excluded.description, updated_at = excluded.updated_at",
                g.name(),
                g.description(),
                g.createdAt(),
                g.updatedAt());
    }

    @Override
    public boolean deleteGroup(String name) {
        return targets.deleteWithGrants(new Reference(Kind.GROUP, name), () -> {
            jdbc.update("DELETE FROM group_members WHERE group_name = ?", name);
            return jdbc.update("DELETE FROM user_groups WHERE name = ?", name) > 0;
        });
    }

    @Override
    public List<String> groupMembers(String group) {
        return jdbc.query(
                "SELECT u.username FROM group_members m JOIN users u ON u.id = m.user_id "
                        + "WHERE m.group_name = ? ORDER BY u.username",
                rs -> rs.getString(1),
                group);
    }

    @Override
    public void setGroupMembers(String group, Set<String> usernames) {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM group_members WHERE group_name = ?", group);
            for (String u : usernames) {
                jdbc.update(
                        "INSERT INTO group_members (group_name, user_id) SELECT ?, id FROM users WHERE username = ?",
                        group,
                        u);
            }
            return null;
        });
    }
}
