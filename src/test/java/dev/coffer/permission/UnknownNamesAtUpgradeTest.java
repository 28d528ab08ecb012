package dev.coffer.permission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.authz.PermissionTarget;
import dev.coffer.bootstrap.Coffer;
import dev.coffer.common.Action;
import dev.coffer.config.Settings;
import dev.coffer.identity.UserService;
import dev.coffer.repository.RepositoryService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by an older version may hold grants of users, groups and repositories that
 * were deleted (or never existed). Opening it removes those names before anything is served, so a
 * new account of such a name starts with nothing.
 */
class UnknownNamesAtUpgradeTest {
    @TempDir
    Path data;

    private void withServices(Consumer<Coffer.Services> work) {
        Coffer.Services s = Coffer.services(Settings.load(Map.of("data", data.toString()), Map.of(), null));
        try {
            work.accept(s);
        } finally {
            s.credentials().close();
            s.database().close();
        }
    }

    private static void legacyTarget(Coffer.Services s, String name, String json) {
        try (Connection c = s.database().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO permission_targets (name, definition, "
                        + "created_at, updated_at) VALUES (?, ?, 1, 1)")) {
            ps.setString(1, name);
            ps.setString(2, json);
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void openingTheDatabaseRemovesNamesThatDoNotExist() {
        withServices(s -> {
            s.repositories().put("libs", new RepositoryService.Change(null, false));
            s.users().put("alice", new UserService.UserChange("alice-pass", null, false, null, false));
            // what an older version left behind: dave, group ops and repository gone were deleted
            legacyTarget(
                    s,
                    "libs-read",
                    "{\"name\":\"libs-read\",\"repositories\":[\"libs\",\"gone\"],"
                            + "\"includePatterns\":[\"**\"],\"excludePatterns\":[],"
                            + "\"users\":{\"alice\":[\"r\"],\"dave\":[\"r\",\"w\"]},\"groups\":{\"ops\":[\"r\"]}}");
            legacyTarget(
                    s,
                    "gone-write",
                    "{\"name\":\"gone-write\",\"repositories\":[\"gone\"],"
                            + "\"includePatterns\":[\"**\"],\"excludePatterns\":[],\"users\":{\"alice\":[\"w\"]},\"groups\":{}}");
        });

        withServices(s -> {
            PermissionTarget expected = new PermissionTarget(
                    "libs-read",
                    List.of("libs"),
                    List.of("**"),
                    List.of(),
                    Map.of("alice", EnumSet.of(Action.READ)),
                    Map.of());
            assertThat(s.permissions().find("libs-read")).contains(expected);
            assertThat(s.permissions().find("gone-write")).isEmpty();
            assertThat(s.permissions().list()).containsExactly(expected);

            // a new dave, a new ops and a new gone start with nothing
            s.users().putGroup("ops", "", List.of());
            s.users().put("dave", new UserService.UserChange("dave-pass", null, false, List.of("ops"), false));
            s.repositories().put("gone", new RepositoryService.Change(null, false));
            assertThat(s.permissions().list()).containsExactly(expected);
            // and a clean database is left alone
            assertThat(s.permissions().removeUnknownNames()).isEmpty();
        });
    }
}
