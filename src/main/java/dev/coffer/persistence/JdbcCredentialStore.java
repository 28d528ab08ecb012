package dev.coffer.persistence;

import dev.coffer.authz.Scope;
import dev.coffer.token.CredentialStore;
import dev.coffer.token.SecretKind;
import dev.coffer.token.StoredCredential;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

public final class JdbcCredentialStore implements CredentialStore {
    private static final String USER_SCOPE = Scope.USER.toString();
    private final Jdbc jdbc;

    public JdbcCredentialStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc);
    }

    private static String table(SecretKind kind) {
        return switch (kind) {
            case ACCESS_KEY -> "access_keys";
            case SESSION_TOKEN -> "session_tokens";
            case ACCESS_TOKEN -> "access_tokens";
            case REFRESH_TOKEN -> throw new IllegalArgumentException("refresh tokens live with their access token");
        };
    }

    private static String columns(SecretKind kind) {
        String common = "id, user_id, secret_hash, created_at, expires_at, last_used_at, last_used_ip";
        return switch (kind) {
            case ACCESS_KEY -> common + ", description";
            case ACCESS_TOKEN -> common + ", description, refresh_hash, scope, issued_by";
            default -> common;
        };
    }

    private static Long nullableLong(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static StoredCredential map(SecretKind kind, ResultSet rs) throws SQLException {
        String description = kind == SecretKind.SESSION_TOKEN ? "" : rs.getString(8);
        String refresh = kind == SecretKind.ACCESS_TOKEN ? rs.getString(9) : null;
        String scope = kind == SecretKind.ACCESS_TOKEN ? rs.getString(10) : USER_SCOPE;
        String issuedBy = kind == SecretKind.ACCESS_TOKEN ? rs.getString(11) : null;
        return new StoredCredential(
                kind,
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                refresh,
                scope,
                description,
                issuedBy,
                rs.getLong(4),
                nullableLong(rs, 5),
                nullableLong(rs, 6),
                rs.getString(7));
    }

    @Override
    public void insert(StoredCredential c) {
        switch (c.kind()) {
            case ACCESS_KEY ->
                jdbc.update(
                        "INSERT INTO access_keys (" + columns(c.kind()) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        c.id(),
                        c.userId(),
                        c.secretHash(),
                        c.createdAt(),
                        c.expiresAt(),
                        null,
                        null,
                        c.description());
            case SESSION_TOKEN ->
                jdbc.update(
                        "INSERT INTO session_tokens (" + columns(c.kind()) + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                        c.id(),
                        c.userId(),
                        c.secretHash(),
                        c.createdAt(),
                        c.expiresAt(),
                        null,
                        null);
            case ACCESS_TOKEN ->
                jdbc.update(
                        "INSERT INTO access_tokens (" + columns(c.kind())
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        c.id(),
                        c.userId(),
                        c.secretHash(),
                        c.createdAt(),
                        c.expiresAt(),
                        null,
                        null,
                        c.description(),
                        c.refreshHash(),
                        c.scope(),
                        c.issuedBy());
            default -> throw new IllegalArgumentException(c.kind().toString());
        }
    }

    @Override
    public Optional<StoredCredential> findByHash(SecretKind kind, String secretHash) {
        return jdbc.queryOne(
                "SELECT " + columns(kind) + " FROM " + table(kind) + " WHERE secret_hash = ?",
                rs -> map(kind, rs),
                secretHash);
    }

    @Override
    public Optional<StoredCredential> findById(SecretKind kind, String id) {
        return jdbc.queryOne(
                "SELECT " + columns(kind) + " FROM " + table(kind) + " WHERE id = ?", rs -> map(kind, rs), id);
    }

    @Override
    public Optional<StoredCredential> findByRefreshHash(String refreshHash) {
        SecretKind k = SecretKind.ACCESS_TOKEN;
        return jdbc.queryOne(
                "SELECT " + columns(k) + " FROM access_tokens WHERE refresh_hash = ?", rs -> map(k, rs), refreshHash);
    }

    @Override
    public List<StoredCredential> list(SecretKind kind, Long userId) {
        if (userId == null) {
            return jdbc.query(
                    "SELECT " + columns(kind) + " FROM " + table(kind) + " ORDER BY created_at, id",
                    rs -> map(kind, rs));
        }
        return jdbc.query(
                "SELECT " + columns(kind) + " FROM " + table(kind) + " WHERE user_id = ? ORDER BY created_at, id",
                rs -> map(kind, rs),
                userId);
    }

    @Override
    public boolean delete(SecretKind kind, String id) {
        return jdbc.update("DELETE FROM " + table(kind) + " WHERE id = ?", id) > 0;
    }

    @Override
    public boolean replace(StoredCredential old, StoredCredential replacement) {
        return jdbc.inTransaction(() -> {
            if (jdbc.update("DELETE FROM " + table(old.kind()) + " WHERE id = ?", old.id()) == 0) {
                return false;
            }
            insert(replacement);
            return true;
        });
    }

    @Override
    public List<StoredCredential> deleteAllOf(SecretKind kind, long userId) {
        return jdbc.inTransaction(() -> {
            List<StoredCredential> all = list(kind, userId);
            jdbc.update("DELETE FROM " + table(kind) + " WHERE user_id = ?", userId);
            return all;
        });
    }

    @Override
    public void recordUses(Collection<Use> uses) {
        if (uses.isEmpty()) {
            return;
        }
        jdbc.inTransaction(() -> {
            for (Use u : uses) {
                jdbc.update(
                        "UPDATE " + table(u.kind()) + " SET last_used_at = ?, last_used_ip = ? WHERE id = ?",
                        u.at(),
                        u.ip(),
                        u.id());
            }
            return null;
        });
    }
}
