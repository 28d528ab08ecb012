package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.authz.PermissionTarget;
import dev.coffer.common.Action;
import dev.coffer.identity.Group;
import dev.coffer.identity.User;
import dev.coffer.permission.PermissionTargetStore.Change;
import dev.coffer.permission.PermissionTargetStore.Kind;
import dev.coffer.permission.PermissionTargetStore.Reference;
import dev.coffer.permission.PermissionTargetStore.Refused;
import dev.coffer.permission.PermissionTargetStore.Saved;
import dev.coffer.permission.PermissionTargetStore.Written;
import dev.coffer.repository.Repository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SECURITY-CHECKLIST 13 at the stores, on every database: a permission target names only users,
 * groups and repositories that exist, and deleting one removes it from every target in the same
 * transaction, also when the delete races a write of a target naming it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GrantReferencesContract {
    private static final String[] TABLES = {
        "group_members", "user_groups", "users", "files", "repositories", "permission_targets"
    };
    private static final Set<Action> READ = EnumSet.of(Action.READ);

    private Database database;
    private JdbcPermissionTargetStore targets;
    private JdbcUserStore users;
    private CascadingRepositoryStore repositories;

    protected abstract Database openDatabase();

    /** After the database is closed: delete what {@link #openDatabase} made. */
    protected void afterClose() {}

    @BeforeAll
    void open() {
        database = openDatabase();
        Jdbc jdbc = new Jdbc(database.dataSource());
        targets = new JdbcPermissionTargetStore(jdbc, database.dialect());
        users = new JdbcUserStore(jdbc, targets);
        repositories = new CascadingRepositoryStore(new JdbcRepositoryStore(jdbc), targets);
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
        afterClose();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                Statement st = c.createStatement()) {
            for (String t : TABLES) {
                st.executeUpdate("DELETE FROM " + t);
            }
        }
    }

    private void user(String name) {
        users.insertUser(new User(0, name, "h", null, false, false, Set.of(), 1, 1));
    }

    private void group(String name) {
        users.upsertGroup(new Group(name, null, 1, 1));
    }

    private void repo(String name) {
        repositories.upsert(new Repository(name, null, false, 1, 1));
    }

    private static PermissionTarget target(
            String name, List<String> repos, Map<String, Set<Action>> users, Map<String, Set<Action>> groups) {
        return new PermissionTarget(name, repos, List.of("**"), List.of(), users, groups);
    }

    @Test
    void aTargetNamingWhatDoesNotExistIsRefusedAndNothingIsWritten() {
        repo("libs");
        user("alice");
        group("devs");

        Saved refused = targets.save(
                target(
                        "t",
                        List.of("libs", "ghost-repo", "*"),
                        Map.of("alice", READ, "dave", READ),
                        Map.of("devs", READ, "ops", READ)),
                1);

        assertThat(refused).isInstanceOf(Refused.class);
        assertThat(((Refused) refused).unknown())
                .containsExactlyInAnyOrder(
                        new Reference(Kind.USER, "dave"),
                        new Reference(Kind.GROUP, "ops"),
                        new Reference(Kind.REPOSITORY, "ghost-repo"));
        assertThat(targets.find("t")).isEmpty();

        PermissionTarget good = target("t", List.of("libs"), Map.of("alice", READ), Map.of("devs", READ));
        assertThat(targets.save(good, 2)).isEqualTo(new Written(true));
        assertThat(targets.save(target("t", List.of("*"), Map.of("dave", READ), Map.of()), 3))
                .isInstanceOf(Refused.class);
        assertThat(targets.find("t"))
                .as("a refused update leaves the target as it was")
                .contains(good);

        // "*" is every repository, not a name that must exist; a user called "*" does not exist
        assertThat(targets.save(target("any", List.of("*"), Map.of("alice", READ), Map.of()), 4))
                .isEqualTo(new Written(true));
        assertThat(targets.save(target("star", List.of("*"), Map.of("*", READ), Map.of()), 5))
                .isEqualTo(new Refused(List.of(new Reference(Kind.USER, "*"))));
        // names no account can have are unknown, not a database error (longer ones PermissionTarget refuses)
        assertThat(targets.save(
                        target("odd", List.of("*"), Map.of("a\u0000b", READ, "x".repeat(255), READ), Map.of()), 6))
                .isInstanceOf(Refused.class);
    }

    @Test
    void deletingAUserOrGroupRemovesItFromEveryTargetAndANewOneOfTheNameStartsWithNothing() {
        repo("libs");
        user("dave");
        user("erin");
        group("ops");
        PermissionTarget t = target("t", List.of("libs"), Map.of("dave", READ, "erin", READ), Map.of("ops", READ));
        targets.save(t, 1);
        targets.save(target("dave", List.of("*"), Map.of("dave", EnumSet.allOf(Action.class)), Map.of()), 1);

        assertThat(users.deleteUser("dave")).isTrue();
        user("dave");
        group("ops");
        assertThat(users.deleteGroup("ops")).isTrue();
        group("ops");

        assertThat(targets.find("t")).contains(target("t", List.of("libs"), Map.of("erin", READ), Map.of()));
        assertThat(targets.find("dave"))
                .as("a target left with no user or group stays, granting nothing")
                .contains(target("dave", List.of("*"), Map.of(), Map.of()));
        assertThat(users.deleteUser("dave")).isTrue();
        assertThat(users.deleteUser("dave")).isFalse();
    }

    @Test
    void deletingARepositoryRemovesItAndDeletesTargetsLeftWithNoRepository() {
        repo("libs");
        repo("other");
        user("alice");
        targets.save(target("only-libs", List.of("libs"), Map.of("alice", READ), Map.of()), 1);
        targets.save(target("both", List.of("libs", "other"), Map.of("alice", READ), Map.of()), 1);
        targets.save(target("any", List.of("*", "libs"), Map.of("alice", READ), Map.of()), 1);

        assertThat(repositories.delete("libs")).isTrue();
        repo("libs");

        assertThat(targets.find("only-libs")).isEmpty();
        assertThat(targets.find("both")).contains(target("both", List.of("other"), Map.of("alice", READ), Map.of()));
        assertThat(targets.find("any")).contains(target("any", List.of("*"), Map.of("alice", READ), Map.of()));
        assertThat(repositories.delete("nothing")).isFalse();
    }

    @Test
    void removeUnknownCleansTargetsWrittenBeforeNamesWereChecked() throws SQLException {
        repo("libs");
        user("alice");
        group("devs");
        legacy(
                "old",
                "{\"name\":\"old\",\"repositories\":[\"libs\",\"gone\"],\"includePatterns\":[\"**\"],"
                        + "\"excludePatterns\":[],\"users\":{\"alice\":[\"r\"],\"dave\":[\"r\",\"w\"]},"
                        + "\"groups\":{\"devs\":[\"r\"],\"ops\":[\"r\"]}}");
        legacy(
                "orphan",
                "{\"name\":\"orphan\",\"repositories\":[\"gone\"],\"includePatterns\":[\"**\"],"
                        + "\"excludePatterns\":[],\"users\":{\"alice\":[\"r\"]},\"groups\":{}}");
        legacy(
                "clean",
                "{\"name\":\"clean\",\"repositories\":[\"*\"],\"includePatterns\":[\"**\"],"
                        + "\"excludePatterns\":[],\"users\":{\"alice\":[\"r\"]},\"groups\":{}}");

        List<Change> changes = targets.removeUnknown();

        assertThat(changes)
                .containsExactly(
                        new Change(
                                "old",
                                List.of(
                                        new Reference(Kind.USER, "dave"),
                                        new Reference(Kind.GROUP, "ops"),
                                        new Reference(Kind.REPOSITORY, "gone")),
                                false),
                        new Change("orphan", List.of(new Reference(Kind.REPOSITORY, "gone")), true));
        assertThat(targets.find("old"))
                .contains(target("old", List.of("libs"), Map.of("alice", READ), Map.of("devs", READ)));
        assertThat(targets.find("orphan")).isEmpty();
        assertThat(targets.find("clean")).isPresent();
        assertThat(targets.removeUnknown()).isEmpty();
    }

    private void legacy(String name, String json) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                var ps = c.prepareStatement("INSERT INTO permission_targets (name, definition, created_at, updated_at) "
                        + "VALUES (?, ?, 1, 1)")) {
            ps.setString(1, name);
            ps.setString(2, json);
            ps.executeUpdate();
        }
    }

    /**
     * A delete racing a write that names what it deletes: whichever commits first, no stored target
     * names it afterwards (the write is refused, or the delete removes the name it wrote).
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aDeleteRacingAWriteNamingItNeverLeavesTheNameBehind(Kind kind) throws Exception {
        repo("base");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int refused = 0;
            for (int round = 0; round < 60; round++) {
                String name = kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + round;
                Consumer<String> create = switch (kind) {
                    case USER -> this::user;
                    case GROUP -> this::group;
                    case REPOSITORY -> this::repo;
                };
                create.accept(name);
                PermissionTarget t = switch (kind) {
                    case USER -> target("t" + round, List.of("base"), Map.of(name, READ), Map.of());
                    case GROUP -> target("t" + round, List.of("base"), Map.of(), Map.of(name, READ));
                    case REPOSITORY -> target("t" + round, List.of(name, "base"), Map.of(), Map.of());
                };
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> deleted = pool.submit(() -> {
                    go.await();
                    return switch (kind) {
                        case USER -> users.deleteUser(name);
                        case GROUP -> users.deleteGroup(name);
                        case REPOSITORY -> repositories.delete(name);
                    };
                });
                Future<Saved> saved = pool.submit(() -> {
                    go.await();
                    return targets.save(t, 1);
                });
                go.countDown();
                assertThat(deleted.get()).isTrue();
                if (saved.get() instanceof Refused) {
                    refused++;
                    assertThat(targets.find(t.name())).isEmpty();
                } else {
                    PermissionTarget stored = targets.find(t.name()).orElseThrow();
                    List<Reference> named = new ArrayList<>(dev.coffer.permission.TargetReferences.of(stored));
                    assertThat(named).as("round %d", round).doesNotContain(new Reference(kind, name));
                }
            }
            // not asserted: which side wins depends on the scheduler; both outcomes are correct
            System.out.printf("%s: %d of 60 writes refused%n", kind, refused);
        } finally {
            pool.shutdownNow();
        }
    }
}
